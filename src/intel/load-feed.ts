import type { FeedIndex } from "./feed-index.ts";
import { FeedIndexBuilder, type Rejections } from "./feed-index-builder.ts";
import type { FeedFormat, FeedSettings } from "./feed-settings.ts";
import type { IndicatorType } from "./indicator.ts";

/** A feed loaded from one source, with what the source held that could not be used. */
export interface FeedLoad {
  readonly ok: true;
  readonly index: FeedIndex;
  readonly rejected: Rejections;
  /** STIX patterns other than simple comparisons, skipped. */
  readonly unsupportedPatterns: number;
  /** Indicators already expired at the load, not held. */
  readonly expired: number;
  /** Distinct indicators held, by type. */
  readonly counts: Readonly<Record<IndicatorType, number>>;
}

/** A source that could not be read as a whole; `reason` says why. */
export interface FeedLoadFailure {
  readonly ok: false;
  readonly reason: string;
}

/**
 * Parses `text` in `format` into a new index of a feed with `settings`, loaded at `now`. A bad
 * line is rejected and counted without failing the load; only a document that cannot be read
 * as a whole fails it.
 */
export function loadFeed(text: string, format: FeedFormat, settings: FeedSettings, now: number): FeedLoad | FeedLoadFailure {
  const builder = new FeedIndexBuilder(settings, now);
  const parsed = builder.parse(text, format);
  if (!parsed.ok) return parsed;
  const index = builder.build();
  return { ok: true, index, rejected: parsed.rejected, unsupportedPatterns: parsed.unsupportedPatterns, expired: parsed.expired, counts: index.counts };
}
