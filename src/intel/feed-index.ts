/* eslint-disable @typescript-eslint/no-unused-vars -- the bodies come with the implementation */
import type { FeedSettings } from "./feed-settings.ts";
import type { IndicatorType } from "./indicator.ts";

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

  /** Built by `FeedIndexBuilder`; not constructed directly. */
  constructor(settings: FeedSettings, loadedAt: number) {
    this.settings = settings;
    this.loadedAt = loadedAt;
  }

  /** `namespace/name` of the feed. */
  get key(): string {
    return this.settings.key;
  }

  /** The number of distinct indicators held. */
  get size(): number {
    throw new Error("not implemented");
  }

  /** The number of distinct indicators held, by type. */
  get counts(): Readonly<Record<IndicatorType, number>> {
    throw new Error("not implemented");
  }

  /**
   * The indicator of `type` matching `value` at `now`, or undefined: an address matches an equal
   * address or the most specific range holding it (a range matches a range it holds), a domain
   * an equal domain or, with `includeSubdomains`, the nearest parent domain listed, any other
   * type an equal value. `value` may be in any form `canonicalIndicator` accepts for `type`; a
   * value that is not one never matches.
   */
  lookup(type: IndicatorType, value: string, now: number): IndicatorHit | undefined {
    throw new Error("not implemented");
  }
}
