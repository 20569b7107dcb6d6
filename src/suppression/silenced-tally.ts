import { MAX_SUPPRESSION_SAMPLES } from "../api/v1alpha1/schema/alert-suppression.ts";
import type { AlertSuppressionStatus, SuppressedAlert } from "../api/v1alpha1/types.generated.ts";

/** Alerts one replica silenced with one suppression since its last status write. */
export interface SilencedTally {
  readonly count: number;
  /** RFC 3339 time of the latest. */
  readonly lastMatchedTime: string;
  /** The latest, oldest first, at most `MAX_SUPPRESSION_SAMPLES`. */
  readonly samples: readonly SuppressedAlert[];
}

function timeOf(value: string | undefined): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Two tallies of one suppression as one: counts added, the later time, the latest samples of
 * both (oldest first, bounded). Pure.
 */
export function mergeTallies(earlier: SilencedTally, later: SilencedTally): SilencedTally {
  return {
    count: earlier.count + later.count,
    lastMatchedTime: timeOf(later.lastMatchedTime) >= timeOf(earlier.lastMatchedTime) ? later.lastMatchedTime : earlier.lastMatchedTime,
    samples: latestSamples([...earlier.samples, ...later.samples]),
  };
}

/** The latest `MAX_SUPPRESSION_SAMPLES` samples, oldest first (ties keep their order). */
export function latestSamples(samples: readonly SuppressedAlert[]): SuppressedAlert[] {
  return [...samples].sort((a, b) => timeOf(a.time) - timeOf(b.time)).slice(-MAX_SUPPRESSION_SAMPLES);
}

/**
 * A suppression's status with a replica's tally added: `matchedCount` increased by the count,
 * `lastMatchedTime` the later of both, `samples` the latest of both (bounded); conditions and
 * everything else kept. Pure: each replica adds only its own delta to the status it read, so
 * concurrent writers add up as long as each write is guarded by the resourceVersion it read.
 */
export function statusWithTally(status: AlertSuppressionStatus | undefined, tally: SilencedTally): AlertSuppressionStatus {
  const current = status ?? {};
  const merged = mergeTallies({ count: current.matchedCount ?? 0, lastMatchedTime: current.lastMatchedTime ?? "", samples: current.samples ?? [] }, tally);
  return { ...current, matchedCount: merged.count, lastMatchedTime: merged.lastMatchedTime, samples: [...merged.samples] };
}
