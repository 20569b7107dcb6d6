import type { Reason } from "../../api/v1alpha1/reasons.ts";
import type { IndicatorType, RejectedLine } from "../../intel/index.ts";

/** What the index of a feed in use holds and what its load left out. */
export interface LoadedIndex {
  /** Distinct indicators held, by type. */
  readonly counts: Readonly<Record<IndicatorType, number>>;
  readonly total: number;
  /** Lines of the load that could not be used, and the first few. */
  readonly rejected: { readonly count: number; readonly first: readonly RejectedLine[] };
  /** STIX patterns outside the supported comparisons, skipped. */
  readonly unsupportedPatterns: number;
  /** Indicators whose own expiry had passed at the load, not held. */
  readonly expired: number;
}

/**
 * What a replica's loader knows of one feed: the outcome of its last attempt to load it and what
 * the index in use (from the last good load, possibly older than the attempt) holds. No Secret
 * value and, for a feed whose text is a Secret's, no text of it is ever held here.
 */
export interface FeedLoadState {
  /** The `metadata.generation` of the feed the last attempt was made for. */
  readonly generation: number;
  /** Whether the last attempt loaded the feed or confirmed it unchanged. */
  readonly ready: boolean;
  /** Ready's reason: `Loaded`, or why the last attempt failed. */
  readonly reason: Reason;
  readonly message: string;
  /** The index in use; undefined when the feed holds no index. */
  readonly loaded?: LoadedIndex;
  /** When the index in use was loaded, or last confirmed unchanged by the feed's server. */
  readonly lastRefreshTime?: Date;
}

/** The loader's states, read by the controller that writes them into the feeds' status. */
export interface FeedLoadStates {
  /** The state of feed `key` (`namespace/name`); undefined before its first attempt and after it is gone. */
  get(key: string): FeedLoadState | undefined;
  /** Calls `listener` with a feed's key whenever its state changes; returns a function that unregisters it. */
  onChange(listener: (key: string) => void): () => void;
}
