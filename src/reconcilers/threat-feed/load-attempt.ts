import type { CoreV1Api } from "@kubernetes/client-node";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { ThreatFeed } from "../../api/v1alpha1/types.generated.ts";
import { INDICATOR_TYPES, type FeedFormat } from "../../intel/index.ts";
import type { EventLoopTurns } from "../../runtime/event-loop-turns.ts";
import { buildFromInline, buildFromText, type FeedBuilt } from "./feed-build.ts";
import type { FeedFetcher, FeedValidators } from "./feed-fetch.ts";
import type { LoadedIndex } from "./feed-load-state.ts";
import { feedFormatOf, feedSettingsOf } from "./feed-settings.ts";
import { readConfigMapText, readHttpText, readSecretText, type FeedSourceKind, type SourceRead } from "./feed-source.ts";

/** What one attempt to load a feed came to. */
export type AttemptResult =
  | { readonly kind: "loaded"; readonly built: FeedBuilt; readonly loaded: LoadedIndex; readonly validators?: FeedValidators; readonly message: string }
  | { readonly kind: "not-modified" }
  | { readonly kind: "failed"; readonly reason: Reason; readonly message: string; readonly retryable: boolean };

/** What an attempt reads from and builds with. */
export interface AttemptDeps {
  readonly core: CoreV1Api;
  readonly fetcher: FeedFetcher;
  readonly turns: EventLoopTurns;
  readonly signal: AbortSignal;
}

/** What is shown of a rejected line of a Secret's text: never the line, which the reason may quote. */
export const WITHHELD_REASON = "not an indicator (the reason is not shown: the feed's text is a Secret's)";

function sourceName(feed: ThreatFeed, source: FeedSourceKind): string {
  const { spec } = feed;
  const namespace = feed.metadata.namespace ?? "";
  switch (source) {
    case "inline":
      return "spec.inline";
    case "configMap":
      return `ConfigMap ${namespace}/${spec.configMapRef?.name ?? ""} key ${spec.configMapRef?.key ?? ""}`;
    case "secret":
      return `Secret ${namespace}/${spec.secretRef?.name ?? ""} key ${spec.secretRef?.key ?? ""}`;
    case "http":
      return spec.http?.url ?? "";
  }
}

function loadedIndex(built: FeedBuilt, secret: boolean): LoadedIndex {
  const counts = built.index.counts;
  return {
    counts,
    total: INDICATOR_TYPES.reduce((sum, type) => sum + counts[type], 0),
    rejected: { count: built.rejected.count, first: secret ? built.rejected.first.map(({ line }) => ({ line, reason: WITHHELD_REASON })) : built.rejected.first },
    unsupportedPatterns: built.unsupportedPatterns,
    expired: built.expired,
  };
}

/** "1 indicator", "2 indicators". */
export function indicatorCount(count: number): string {
  return `${count} indicator${count === 1 ? "" : "s"}`;
}

function loadedMessage(loaded: LoadedIndex, from: string): string {
  const rejected = loaded.rejected.count === 0 ? "" : `; ${loaded.rejected.count} rejected (status.rejected)`;
  const unsupported = loaded.unsupportedPatterns === 0 ? "" : `; ${loaded.unsupportedPatterns} unsupported STIX patterns skipped`;
  const expired = loaded.expired === 0 ? "" : `; ${loaded.expired} expired already`;
  return `${indicatorCount(loaded.total)} loaded from ${from}${rejected}${unsupported}${expired}`;
}

async function readText(feed: ThreatFeed, source: Exclude<FeedSourceKind, "inline">, deps: AttemptDeps, validators: FeedValidators | undefined): Promise<SourceRead> {
  const namespace = feed.metadata.namespace ?? "";
  const { spec } = feed;
  if (source === "configMap" && spec.configMapRef !== undefined) return readConfigMapText(deps.core, namespace, spec.configMapRef);
  if (source === "secret" && spec.secretRef !== undefined) return readSecretText(deps.core, namespace, spec.secretRef);
  if (source === "http" && spec.http !== undefined) {
    return readHttpText(spec.http, { core: deps.core, fetcher: deps.fetcher, namespace, signal: deps.signal, ...(validators === undefined ? {} : { validators }) });
  }
  return { kind: "failed", reason: Reason.InvalidSpec, message: "spec: the source is not set", retryable: false };
}

function parseFailure(feed: ThreatFeed, source: FeedSourceKind, format: FeedFormat, reason: string): AttemptResult {
  // A reason may quote the text, which is not shown for a Secret's.
  const why = source === "secret" ? "" : `: ${reason}`;
  return { kind: "failed", reason: Reason.ParseFailed, message: `the text of ${sourceName(feed, source)} cannot be read as ${format.kind}${why}`, retryable: false };
}

/**
 * One attempt to load `feed` from `source` at `now`: reads the source (a conditional fetch when
 * `validators` are given) and builds a new index from it. Never throws on a bad source or text:
 * each is a failure naming the field and the cause, without any Secret value; the rejected lines
 * of a Secret's text keep their line numbers and lose their reasons.
 */
export async function attemptLoad(feed: ThreatFeed, source: FeedSourceKind, now: Date, deps: AttemptDeps, validators?: FeedValidators): Promise<AttemptResult> {
  const settings = feedSettingsOf(feed);
  const from = sourceName(feed, source);
  if (source === "inline") {
    const built = await buildFromInline(feed.spec.inline ?? [], settings, now.getTime(), deps.turns);
    const loaded = loadedIndex(built, false);
    return { kind: "loaded", built, loaded, message: loadedMessage(loaded, from) };
  }
  const format = feedFormatOf(feed.spec);
  if (format === undefined) return { kind: "failed", reason: Reason.InvalidSpec, message: "spec.format.csv: required for type csv", retryable: false };
  const read = await readText(feed, source, deps, validators);
  if (read.kind !== "text") return read;
  const built = await buildFromText(read.text, format, settings, now.getTime(), deps.turns);
  if (!built.ok) return parseFailure(feed, source, format, built.reason);
  const loaded = loadedIndex(built, source === "secret");
  return { kind: "loaded", built, loaded, message: loadedMessage(loaded, from), ...(read.validators === undefined ? {} : { validators: read.validators }) };
}
