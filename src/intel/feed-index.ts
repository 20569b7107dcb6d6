import type { FeedSettings } from "./feed-settings.ts";
import type { IndicatorType } from "./indicator.ts";
import { IndicatorAttributes } from "./indicator-attributes.ts";
import { IndicatorTables } from "./indicator-tables.ts";
import { IndicatorValue } from "./indicator-value.ts";

/** What one indicator of a feed says about a value it matched. */
export interface IndicatorHit {
  readonly type: IndicatorType;
  /** The indicator that matched, canonical: the range `10.0.0.0/8` for `10.1.2.3`, the parent domain for a subdomain. */
  readonly indicator: string;
  /** The indicator's confidence, or the feed's default. */
  readonly confidence: number;
  /** The feed's labels, then the indicator's own, each once. */
  readonly labels: readonly string[];
}

/**
 * The indicators of one feed as loaded at `loadedAt`, immutable, compact, and answering a lookup
 * in time independent of the feed's size (ranges: one probe per distinct prefix length present).
 * An indicator matches at `now` when `validFrom ≤ now < validUntil` (each when given) and, with
 * `expireAfterMs`, `now < loadedAt + expireAfterMs`.
 */
export class FeedIndex {
  /** The settings the feed was loaded with. */
  readonly settings: FeedSettings;
  /** Epoch milliseconds of the load, the time the feed last listed each of its indicators. */
  readonly loadedAt: number;
  /** The number of distinct indicators held, by type. */
  readonly counts: Readonly<Record<IndicatorType, number>>;
  /** The number of distinct indicators held. */
  readonly size: number;
  private readonly tables: IndicatorTables;
  private readonly attributes: IndicatorAttributes;
  private readonly expiresAt: number;
  private readonly value = new IndicatorValue();

  /**
   * Built by `FeedIndexBuilder`, which passes the tables it filled; without them, the empty
   * index of a feed.
   */
  constructor(settings: FeedSettings, loadedAt: number, tables?: IndicatorTables, attributes?: IndicatorAttributes) {
    this.settings = settings;
    this.loadedAt = loadedAt;
    this.tables = tables ?? new IndicatorTables();
    this.tables.freeze();
    this.attributes = attributes ?? new IndicatorAttributes(settings.labels, settings.defaultConfidence);
    this.expiresAt = settings.expireAfterMs === undefined ? Number.POSITIVE_INFINITY : loadedAt + settings.expireAfterMs;
    this.counts = Object.freeze(this.tables.counts());
    this.size = Object.values(this.counts).reduce((sum, count) => sum + count, 0);
  }

  /** `namespace/name` of the feed. */
  get key(): string {
    return this.settings.key;
  }

  /** Bytes held by the index's arrays (not counting attribute records). */
  get byteLength(): number {
    return this.tables.byteLength;
  }

  /**
   * The indicator of `type` matching `value` at `now`, or undefined: an address matches an equal
   * address or the most specific range holding it (a range matches a range it holds), a domain
   * an equal domain or, with `includeSubdomains`, the nearest parent domain listed, any other
   * type an equal value. `value` may be in any form `canonicalIndicator` accepts for `type`; a
   * value that is not one never matches.
   */
  lookup(type: IndicatorType, value: string, now: number): IndicatorHit | undefined {
    if (this.value.read(value.trim(), type) !== undefined) return undefined;
    return this.lookupValue(this.value, now);
  }

  /** The indicator matching a value already read, at `now`; see {@link FeedIndex.lookup}. */
  lookupValue(value: IndicatorValue, now: number): IndicatorHit | undefined {
    if (now >= this.expiresAt) return undefined;
    const hit = this.tables.find(value, this.settings.includeSubdomains, this.attributes, now);
    if (hit === undefined) return undefined;
    return { type: hit.type, indicator: hit.indicator, confidence: this.attributes.confidence(hit.tag), labels: this.attributes.labels(hit.tag) };
  }
}
