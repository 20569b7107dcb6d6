/* eslint-disable @typescript-eslint/no-unused-vars -- the bodies come with the implementation */
import type { FeedIndex } from "./feed-index.ts";
import type { FeedFormat, FeedSettings } from "./feed-settings.ts";
import type { IndicatorType } from "./indicator.ts";

/** An indicator as a source states it, before canonicalisation. */
export interface IndicatorInput {
  /** Inferred from the value's form when absent. */
  readonly type?: IndicatorType;
  readonly value: string;
  readonly confidence?: number;
  readonly labels?: readonly string[];
  readonly validFrom?: number;
  readonly validUntil?: number;
}

/** One line (or STIX object) a source could not use. */
export interface RejectedLine {
  /** The 1-based line of a list, the first line of a CSV record, or the 1-based position of a STIX object in `objects`. */
  readonly line: number;
  /** What is wrong with it. */
  readonly reason: string;
}

/** How many lines were rejected, and the first {@link MAX_REPORTED_REJECTIONS} of them. */
export interface Rejections {
  readonly count: number;
  readonly first: readonly RejectedLine[];
}

/** The most rejected lines a load reports one by one. */
export const MAX_REPORTED_REJECTIONS = 5;

/** The longest line (or CSV record) a source may hold; a longer one is rejected unread. */
export const MAX_LINE_LENGTH = 4096;

/**
 * What one source added: `ok: false` when the document as a whole cannot be read (a STIX
 * bundle that is not JSON or not a bundle, a CSV without the named column), in which case it
 * added nothing; otherwise how many indicators it listed, which lines it rejected, how many STIX
 * patterns were unsupported and how many indicators had expired already.
 */
export type SourceParse =
  | { readonly ok: true; readonly accepted: number; readonly rejected: Rejections; readonly unsupportedPatterns: number; readonly expired: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Builds one feed's {@link FeedIndex} from one or more sources at time `now`, parsing text
 * straight into the index. A value listed more than once is held once, with the attributes of
 * its last listing. Indicators expired at `now` are counted and not held. Once `build` is called
 * the builder accepts nothing more.
 */
export class FeedIndexBuilder {
  readonly settings: FeedSettings;
  readonly now: number;

  constructor(settings: FeedSettings, now: number) {
    this.settings = settings;
    this.now = now;
  }

  /** Adds one indicator; returns why it was refused, or undefined when it was added (or had expired). */
  add(indicator: IndicatorInput): string | undefined {
    throw new Error("not implemented");
  }

  /** Parses one source's text in `format` into the index under construction. */
  parse(text: string, format: FeedFormat): SourceParse {
    throw new Error("not implemented");
  }

  /** The index of everything added. */
  build(): FeedIndex {
    throw new Error("not implemented");
  }
}
