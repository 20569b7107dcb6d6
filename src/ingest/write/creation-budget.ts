import { LruCache } from "../../collections/lru-cache.ts";
import type { CreationLimits } from "../../config/options.ts";
import type { Clock } from "../../runtime/clock.ts";
import { TokenBucket } from "./token-bucket.ts";

/** The limit that refused a new Incident; also the label of the over-budget metric. */
export type BudgetLimit = "unmatched" | "source" | "global";

/** Every {@link BudgetLimit}, for metrics and docs. */
export const BUDGET_LIMITS: readonly BudgetLimit[] = ["unmatched", "source", "global"];

/**
 * Who asks to open an Incident: an alert's source, whether no Playbook matched it, and whether
 * the Incident is a source's flood Incident (limited by the global budget only).
 */
export interface CreationClaim {
  readonly source: string;
  readonly unmatched: boolean;
  readonly flood: boolean;
}

/** A granted creation; `refund` gives its tokens back when no Incident was opened after all. */
export type CreationGrant = { readonly admitted: true; refund(): void } | { readonly admitted: false; readonly limit: BudgetLimit };

/**
 * The budget of new Incidents of one replica: a global token bucket, one bucket per source
 * (at most `maxSources`, least recently used forgotten first, so the budget's own memory is
 * bounded; a forgotten source starts again with a full bucket, which the global bucket still
 * bounds), and a cap on unmatched Incidents opened within the dedup window. A claim is granted
 * only when every limit that applies to it has room, and then takes from each: an unmatched
 * claim is checked against the unmatched cap, the source's bucket and the global one; a flood
 * claim against the global bucket only. Folds into existing Incidents never ask.
 */
export class CreationBudget {
  readonly #limits: CreationLimits;
  readonly #unmatchedWindowMs: number;
  readonly #clock: Clock;
  readonly #global: TokenBucket;
  readonly #sources: LruCache<string, TokenBucket>;
  /** Opening times (ms) of the unmatched Incidents opened within the window, oldest first. */
  #unmatchedOpened: number[] = [];

  /** `unmatchedWindowMs` is the dedup window, over which unmatched Incidents opened are counted. */
  constructor(limits: CreationLimits, unmatchedWindowMs: number, clock: Clock) {
    if (!Number.isSafeInteger(limits.maxSources) || limits.maxSources < 1) throw new RangeError(`maxSources must be an integer >= 1, got ${String(limits.maxSources)}`);
    if (!Number.isSafeInteger(limits.unmatchedMaxOpen) || limits.unmatchedMaxOpen < 0) {
      throw new RangeError(`unmatchedMaxOpen must be an integer >= 0, got ${String(limits.unmatchedMaxOpen)}`);
    }
    this.#limits = limits;
    this.#unmatchedWindowMs = unmatchedWindowMs;
    this.#clock = clock;
    this.#global = new TokenBucket(limits.global, clock.now().getTime());
    // Validates the per-source limit at once rather than at the first alert.
    new TokenBucket(limits.perSource, 0);
    this.#sources = new LruCache(limits.maxSources);
  }

  /** Sources whose buckets are remembered now (at most `maxSources`). */
  get trackedSources(): number {
    return this.#sources.size;
  }

  /** Grants the claim and takes its tokens, or names the first limit (unmatched, source, global) without room. */
  claim(claim: CreationClaim): CreationGrant {
    const nowMs = this.#clock.now().getTime();
    if (claim.flood) {
      if (!this.#global.available(nowMs)) return { admitted: false, limit: "global" };
      this.#global.take();
      return { admitted: true, refund: () => { this.#global.refund(); } };
    }
    if (claim.unmatched && this.#unmatchedOpenAt(nowMs) >= this.#limits.unmatchedMaxOpen) return { admitted: false, limit: "unmatched" };
    const bucket = this.#bucketOf(claim.source, nowMs);
    if (!bucket.available(nowMs)) return { admitted: false, limit: "source" };
    if (!this.#global.available(nowMs)) return { admitted: false, limit: "global" };
    bucket.take();
    this.#global.take();
    if (claim.unmatched) this.#unmatchedOpened.push(nowMs);
    return {
      admitted: true,
      refund: () => {
        bucket.refund();
        this.#global.refund();
        if (claim.unmatched) {
          const index = this.#unmatchedOpened.lastIndexOf(nowMs);
          if (index !== -1) this.#unmatchedOpened.splice(index, 1);
        }
      },
    };
  }

  #unmatchedOpenAt(nowMs: number): number {
    const from = nowMs - this.#unmatchedWindowMs;
    const firstOpen = this.#unmatchedOpened.findIndex((at) => at > from);
    this.#unmatchedOpened = firstOpen === -1 ? [] : this.#unmatchedOpened.slice(firstOpen);
    return this.#unmatchedOpened.length;
  }

  #bucketOf(source: string, nowMs: number): TokenBucket {
    let bucket = this.#sources.get(source);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.#limits.perSource, nowMs);
      this.#sources.set(source, bucket);
    }
    return bucket;
  }
}
