import type { ThreatFeed, ThreatFeedSpec } from "../../api/v1alpha1/types.generated.ts";
import { objectKey } from "../../runtime/object-key.ts";
import type { FeedSourceKind } from "./feed-source.ts";

/** The source a spec names, or undefined when it names none or several (the schema refuses both). */
export function sourceKindOf(spec: ThreatFeedSpec): FeedSourceKind | undefined {
  const named: FeedSourceKind[] = [
    ...(spec.inline === undefined ? [] : (["inline"] as const)),
    ...(spec.configMapRef === undefined ? [] : (["configMap"] as const)),
    ...(spec.secretRef === undefined ? [] : (["secret"] as const)),
    ...(spec.http === undefined ? [] : (["http"] as const)),
  ];
  return named.length === 1 ? named[0] : undefined;
}

/** The Secrets a feed names (its text, its URL's CA and auth header). */
export function referencedSecrets(spec: ThreatFeedSpec): string[] {
  return [spec.secretRef?.name, spec.http?.caSecretRef?.name, spec.http?.authHeader?.secretRef.name].filter((name) => name !== undefined);
}

/** The ConfigMaps a feed names. */
export function referencedConfigMaps(spec: ThreatFeedSpec): string[] {
  return spec.configMapRef === undefined ? [] : [spec.configMapRef.name];
}

/**
 * Keys of the feeds among `feeds` of `namespace` that name `name` among `referenced(spec)`:
 * references are namespace-local.
 */
export function feedsReferencing(feeds: readonly ThreatFeed[], namespace: string, name: string, referenced: (spec: ThreatFeedSpec) => string[]): string[] {
  return feeds
    .filter((feed) => (feed.metadata.namespace ?? "") === namespace && referenced(feed.spec).includes(name))
    .map((feed) => objectKey(feed));
}

/** The resourceVersion of each object a feed reads, by name; undefined for one that does not exist. */
export type Versions = (name: string) => string | undefined;

/** What a load of a feed depends on, in two parts: what decides the index, and what decides only how it is fetched. */
export interface FeedInputs {
  /**
   * Everything the index depends on: the spec but its description and the URL's transport
   * settings, and the version of its ConfigMap or Secret. A fetch may be conditional (a 304 keeps
   * the index) only while this is unchanged since the index was loaded.
   */
  readonly content: string;
  /** `content` and the transport settings with the versions of the CA and auth Secrets: a change calls for a new attempt. */
  readonly attempt: string;
}

/** The inputs of `feed` given the versions of the ConfigMaps and Secrets of its namespace. */
export function feedInputs(feed: ThreatFeed, configMaps: Versions, secrets: Versions): FeedInputs {
  // The description changes nothing loaded.
  const { http, ...rest } = { ...feed.spec, description: undefined };
  const sourceVersion = rest.configMapRef === undefined ? (rest.secretRef === undefined ? null : (secrets(rest.secretRef.name) ?? "absent")) : (configMaps(rest.configMapRef.name) ?? "absent");
  const content = JSON.stringify([rest, http?.url ?? null, sourceVersion]);
  if (http === undefined) return { content, attempt: content };
  const version = (name: string | undefined): string | null => (name === undefined ? null : (secrets(name) ?? "absent"));
  return { content, attempt: JSON.stringify([content, http, version(http.caSecretRef?.name), version(http.authHeader?.secretRef.name)]) };
}
