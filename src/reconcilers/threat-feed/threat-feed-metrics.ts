import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { THREAT_INDICATOR_TYPES } from "../../api/v1alpha1/constants.ts";
import type { Reason } from "../../api/v1alpha1/reasons.ts";
import { counterOn, gaugeOn, histogramOn } from "../../runtime/metric-registration.ts";
import type { LoadedIndex } from "./feed-load-state.ts";
import type { FeedSourceKind } from "./feed-source.ts";

/** How a load attempt ended, the `result` label of the load duration. */
export type LoadResult = "loaded" | "not_modified" | "failed";

/**
 * The loader's metrics. The `feed` label is `namespace/name` of a ThreatFeed: bounded by the
 * objects administrators create, never by alert content; `type` is an indicator type, `reason` a
 * Ready reason, `source` one of the four source kinds.
 */
export class ThreatFeedMetrics {
  readonly #indicators: Gauge<"feed" | "type">;
  readonly #failures: Counter<"feed" | "reason">;
  readonly #duration: Histogram<"source" | "result">;
  /** The reasons each feed failed with, to remove exactly its series when it goes. */
  readonly #reasons = new Map<string, Set<string>>();

  constructor(registry: Registry) {
    this.#indicators = gaugeOn(registry, {
      name: "soar_threatfeed_indicators",
      help: "Indicators this replica holds for a ThreatFeed (namespace/name), by indicator type.",
      labelNames: ["feed", "type"],
    });
    this.#failures = counterOn(registry, {
      name: "soar_threatfeed_fetch_errors_total",
      help: "Failed loads of a ThreatFeed (namespace/name) by this replica, by Ready reason (FetchFailed, TooLarge, ParseFailed, SourceNotFound...).",
      labelNames: ["feed", "reason"],
    });
    this.#duration = histogramOn(registry, {
      name: "soar_threatfeed_load_duration_seconds",
      help: "How long one attempt to load a ThreatFeed took, reading or fetching its source and indexing it, by source kind and result.",
      labelNames: ["source", "result"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    });
  }

  /** Records the index in use of `feed`. */
  loaded(feed: string, index: LoadedIndex): void {
    for (const type of THREAT_INDICATOR_TYPES) this.#indicators.set({ feed, type }, index.counts[type]);
  }

  /** Counts a failed load of `feed`. */
  failed(feed: string, reason: Reason): void {
    this.#failures.inc({ feed, reason });
    let reasons = this.#reasons.get(feed);
    if (reasons === undefined) {
      reasons = new Set();
      this.#reasons.set(feed, reasons);
    }
    reasons.add(reason);
  }

  /** Records how long one attempt took. */
  attempt(source: FeedSourceKind, result: LoadResult, seconds: number): void {
    this.#duration.observe({ source, result }, seconds);
  }

  /** Removes every series of `feed`, which is gone or holds no index any more. */
  forget(feed: string): void {
    for (const type of THREAT_INDICATOR_TYPES) this.#indicators.remove({ feed, type });
    for (const reason of this.#reasons.get(feed) ?? []) this.#failures.remove({ feed, reason });
    this.#reasons.delete(feed);
  }

  /** Removes the indicator series of `feed`, which holds no index any more. */
  dropIndex(feed: string): void {
    for (const type of THREAT_INDICATOR_TYPES) this.#indicators.remove({ feed, type });
  }
}
