import type { Severity } from "../api/v1alpha1/index.ts";
import type { IndicatorType } from "./indicator.ts";

/**
 * How a feed's text is written.
 * - `list`: one value per line; blank lines and lines starting with `#` are skipped; every value
 *   is of `type`, or of the type its form shows when `type` is absent.
 * - `csv`: RFC 4180 records (quoted fields may hold the delimiter, `""` and line breaks). Columns
 *   are named (the header row's names) or numbered from 0. See {@link CsvFormat}.
 * - `stix2`: a STIX 2.1 bundle of `indicator` objects with simple STIX patterns.
 */
export type FeedFormat = ListFormat | CsvFormat | StixFormat;

/** A plain list of values, one a line. */
export interface ListFormat {
  readonly kind: "list";
  /** The type of every value; inferred per line from its form when absent. */
  readonly type?: IndicatorType;
}

/** A column of a CSV feed: a name of the header row, or a 0-based position. */
export type CsvColumn = string | number;

/**
 * Comma-separated values. A name of a column needs `header: true`. Cells are trimmed; an empty
 * optional cell means "not given".
 */
export interface CsvFormat {
  readonly kind: "csv";
  /** The column holding the indicator value. */
  readonly valueColumn: CsvColumn;
  /**
   * The column naming the type (`ip`, `ipv4`, `ipv6`, `domain`, `hostname`, `fqdn`, `url`, `uri`,
   * `sha256`, `sha1`, `md5`, `hash`, in any case, STIX and MISP spellings included); an empty
   * cell, or no such column, lets the type be inferred from the value.
   */
  readonly typeColumn?: CsvColumn;
  /** The column of an integer confidence 0..100. */
  readonly confidenceColumn?: CsvColumn;
  /** The column of the indicator's labels, separated by `;` or `|`. */
  readonly labelsColumn?: CsvColumn;
  /** The column of an RFC 3339 time from which the indicator no longer matches. */
  readonly expiresColumn?: CsvColumn;
  /** Whether the first record is a header row naming the columns (it is never an indicator). */
  readonly header: boolean;
  /** One character separating cells; `,` when absent. */
  readonly delimiter?: string;
}

/**
 * A STIX 2.1 bundle: `indicator` objects whose `pattern_type` is `stix` and whose pattern is one
 * or more `=` comparisons of `ipv4-addr:value`, `ipv6-addr:value`, `domain-name:value`,
 * `url:value` or `file:hashes.'SHA-256'|'SHA-1'|'MD5'` joined by `OR` (`ISSUBSET` is accepted
 * for addresses). `valid_from`, `valid_until`, `confidence` and `labels` are honoured; revoked
 * indicators are skipped; other patterns are counted as unsupported and skipped.
 */
export interface StixFormat {
  readonly kind: "stix2";
}

/** The attributes of one feed that apply to each of its indicators. */
export interface FeedSettings {
  /** `namespace/name` of the feed; matches name it. */
  readonly key: string;
  /** The feed's namespace, which decides which alerts it applies to (see `IntelStore`). */
  readonly namespace: string;
  /** The severity a match of this feed suggests. */
  readonly severity?: Severity;
  /** Labels of every indicator of the feed, reported before the indicator's own. */
  readonly labels: readonly string[];
  /** The confidence (0..100) of an indicator that states none. */
  readonly defaultConfidence: number;
  /** Whether a domain indicator also matches its subdomains (`evil.example` matches `a.b.evil.example`). */
  readonly includeSubdomains: boolean;
  /**
   * Milliseconds after the load in which the feed last listed an indicator from which that
   * indicator no longer matches; absent, only an indicator's own `validUntil` expires it.
   */
  readonly expireAfterMs?: number;
  /** The most indicators the feed may hold; further ones are rejected. {@link MAX_FEED_INDICATORS} when absent. */
  readonly maxIndicators?: number;
}

/** The most indicators one feed holds unless its settings say otherwise. */
export const MAX_FEED_INDICATORS = 2_000_000;
