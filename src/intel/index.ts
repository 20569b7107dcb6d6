// Threat intelligence: indicator values, feed parsers (plain list, CSV, STIX 2.1), the compact
// index of one feed, and the store of the operator's feeds under the tenancy rule of Playbooks.
export { canonicalIndicator, type CanonicalIndicator } from "./canonical-indicator.ts";
export { FeedIndex, type IndicatorHit } from "./feed-index.ts";
export { MAX_INDICATOR_LABELS, MAX_LABEL_LENGTH, MAX_LINE_LENGTH, MAX_REPORTED_REJECTIONS } from "./feed-bounds.ts";
export {
  FeedIndexBuilder,
  type IndicatorInput,
  type RejectedLine,
  type Rejections,
  type SourceParse,
} from "./feed-index-builder.ts";
export {
  MAX_FEED_INDICATORS,
  type CsvColumn,
  type CsvFormat,
  type FeedFormat,
  type FeedSettings,
  type ListFormat,
  type StixFormat,
} from "./feed-settings.ts";
export { INDICATOR_TYPES, isIndicatorType, type Indicator, type IndicatorType } from "./indicator.ts";
export { IntelStore, type FeedSummary, type IntelMatch, type MatchScope } from "./intel-store.ts";
export { loadFeed, type FeedLoad, type FeedLoadFailure } from "./load-feed.ts";
