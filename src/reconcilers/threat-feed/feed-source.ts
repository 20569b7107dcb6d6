import type { CoreV1Api } from "@kubernetes/client-node";
import { parseDuration } from "../../api/duration.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import { DEFAULT_FEED_MAX_BYTES, DEFAULT_FEED_TIMEOUT } from "../../api/v1alpha1/schema/threat-feed.ts";
import type { ConfigMapKeyRef, SecretKeyRef, ThreatFeedHTTP } from "../../api/v1alpha1/types.generated.ts";
import { createSecretResolver, credentialText, type SecretLookupFailure, type SecretResolver } from "../../connectors/index.ts";
import { classifyApiError } from "../../runtime/errors.ts";
import type { FeedFetcher, FeedValidators } from "./feed-fetch.ts";

/** Which of its sources a feed reads. */
export type FeedSourceKind = "inline" | "configMap" | "secret" | "http";

/** Why a source could not be read, as the feed's Ready reason. */
export type SourceFailureReason =
  | typeof Reason.SourceNotFound
  | typeof Reason.FetchFailed
  | typeof Reason.TooLarge
  | typeof Reason.DestinationRefused
  | typeof Reason.SecretNotFound
  | typeof Reason.SecretForbidden
  | typeof Reason.SecretUnavailable
  | typeof Reason.Forbidden
  | typeof Reason.InvalidSpec;

/** A source that could not be read; `retryable` when trying again soon may succeed. */
export interface SourceFailure {
  readonly kind: "failed";
  readonly reason: SourceFailureReason;
  readonly message: string;
  readonly retryable: boolean;
}

/** What reading a source brought: its text, confirmation that the text loaded last is current, or a failure. */
export type SourceRead =
  | { readonly kind: "text"; readonly text: string; readonly validators?: FeedValidators }
  | { readonly kind: "not-modified" }
  | SourceFailure;

function failure(reason: SourceFailureReason, message: string, retryable: boolean): SourceFailure {
  return { kind: "failed", reason, message, retryable };
}

function forbidden(what: string): SourceFailure {
  return failure(Reason.Forbidden, `reading ${what} is forbidden; grant the operator's ServiceAccount the rules of the ClusterRole kube-soar-manager (config/rbac)`, true);
}

/** Reads key `ref.key` of ConfigMap `ref.name` (from `data`, else `binaryData` as UTF-8). */
export async function readConfigMapText(core: CoreV1Api, namespace: string, ref: ConfigMapKeyRef): Promise<SourceRead> {
  const what = `ConfigMap ${namespace}/${ref.name}`;
  try {
    const configMap = await core.readNamespacedConfigMap({ name: ref.name, namespace });
    const text = configMap.data?.[ref.key];
    if (text !== undefined) return { kind: "text", text };
    const binary = configMap.binaryData?.[ref.key];
    if (binary !== undefined) return { kind: "text", text: new TextDecoder().decode(Buffer.from(binary, "base64")) };
    return failure(Reason.SourceNotFound, `spec.configMapRef: ${what} has no key ${ref.key}`, false);
  } catch (error: unknown) {
    switch (classifyApiError(error)) {
      case "not-found":
        return failure(Reason.SourceNotFound, `spec.configMapRef: ${what} does not exist`, false);
      case "forbidden":
        return forbidden(what);
      default:
        return failure(Reason.FetchFailed, `spec.configMapRef: ${what} could not be read (API server unavailable)`, true);
    }
  }
}

/** Maps a Secret that did not resolve to the failure of the source field naming it. */
function secretFailure(field: string, lookup: SecretLookupFailure, missing: SourceFailureReason): SourceFailure {
  const message = `${field}: ${lookup.message}`;
  switch (lookup.problem) {
    case "SecretNotFound":
    case "SecretKeyNotFound":
      return failure(missing, message, false);
    case "SecretForbidden":
      return failure(Reason.SecretForbidden, message, true);
    case "SecretUnavailable":
      return failure(Reason.SecretUnavailable, message, true);
  }
}

/** Reads key `ref.key` of Secret `ref.name` as UTF-8 text. */
export async function readSecretText(core: CoreV1Api, namespace: string, ref: SecretKeyRef): Promise<SourceRead> {
  const lookup = await createSecretResolver(core, namespace).key(ref);
  if (!lookup.ok) return secretFailure("spec.secretRef", lookup, Reason.SourceNotFound);
  return { kind: "text", text: lookup.value.reveal() };
}

// eslint-disable-next-line no-control-regex -- a header value with control characters would corrupt the request
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** The request settings of a feed's URL with its Secrets resolved, or why they cannot be. */
async function resolveRequest(http: ThreatFeedHTTP, secrets: SecretResolver): Promise<{ ca?: Buffer; headers: Record<string, string> } | SourceFailure> {
  let ca: Buffer | undefined;
  if (http.caSecretRef !== undefined) {
    const lookup = await secrets.key(http.caSecretRef);
    if (!lookup.ok) return secretFailure("spec.http.caSecretRef", lookup, Reason.SecretNotFound);
    ca = lookup.value.bytes();
  }
  const headers: Record<string, string> = {};
  if (http.authHeader !== undefined) {
    const { name, secretRef } = http.authHeader;
    const lookup = await secrets.key(secretRef);
    if (!lookup.ok) return secretFailure("spec.http.authHeader.secretRef", lookup, Reason.SecretNotFound);
    const value = credentialText(lookup.value.reveal());
    if (controlCharacter.test(value)) {
      return failure(Reason.InvalidSpec, `spec.http.authHeader.secretRef: the value in Secret ${secretRef.name} key ${secretRef.key} contains control characters`, false);
    }
    headers[name] = value;
  }
  return { ...(ca === undefined ? {} : { ca }), headers };
}

/** What fetching a feed's URL needs besides its spec. */
export interface HttpSourceContext {
  readonly core: CoreV1Api;
  readonly fetcher: FeedFetcher;
  readonly namespace: string;
  /** The validators of the body in use, to make the request conditional; absent for a full fetch. */
  readonly validators?: FeedValidators;
  readonly signal: AbortSignal;
}

/** Fetches `spec.http`: its CA and auth header read from their Secrets at each fetch, never reported. */
export async function readHttpText(http: ThreatFeedHTTP, context: HttpSourceContext): Promise<SourceRead> {
  if (!URL.canParse(http.url)) return failure(Reason.InvalidSpec, "spec.http.url: not a URL", false);
  const resolved = await resolveRequest(http, createSecretResolver(context.core, context.namespace));
  if ("kind" in resolved) return resolved;
  const result = await context.fetcher.fetch({
    url: new URL(http.url),
    namespace: context.namespace,
    headers: resolved.headers,
    ...(resolved.ca === undefined ? {} : { ca: resolved.ca }),
    ...(http.serverName === undefined ? {} : { serverName: http.serverName }),
    ...(context.validators === undefined ? {} : { validators: context.validators }),
    timeoutMs: parseDuration(http.timeout ?? DEFAULT_FEED_TIMEOUT) ?? 30_000,
    maxBytes: http.maxBytes ?? DEFAULT_FEED_MAX_BYTES,
    signal: context.signal,
  });
  switch (result.kind) {
    case "fetched":
      return { kind: "text", text: result.text, validators: result.validators };
    case "not-modified":
      return result;
    case "failed":
      // A refused destination or an oversized body is not retried before the next refresh.
      return failure(result.reason, `spec.http.url: ${result.message}`, result.reason === Reason.FetchFailed);
  }
}
