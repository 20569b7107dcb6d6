/** The first wait after a failed load that may pass; it doubles with each further failure. */
export const FIRST_RETRY_MS = 10_000;

/** The longest wait between retries of a ConfigMap or Secret that could not be read. */
export const MAX_SOURCE_RETRY_MS = 5 * 60_000;

/** The share of a wait added at random, so replicas and feeds do not fetch in step. */
export const JITTER = 0.1;

/** What the last attempt to load a feed came to, as far as its next attempt goes. */
export interface AttemptOutcome {
  /** The feed's refresh interval; undefined for a source that is not fetched (inline, ConfigMap, Secret). */
  readonly refreshMs: number | undefined;
  /** Failed attempts in a row, this one included; 0 after a success. */
  readonly failures: number;
  /** Whether trying again soon may succeed (an unreachable server, an API server that did not answer). */
  readonly retryable: boolean;
}

/**
 * How long after an attempt the feed is loaded again, jitter included (`random` in [0, 1)), or
 * undefined when only a change of the feed or of its ConfigMap or Secret calls for a new load.
 * A fetched feed is refreshed every `refreshMs`; after a failure that may pass, sooner: after
 * {@link FIRST_RETRY_MS}, doubling with each failure, never later than the refresh. A ConfigMap or
 * Secret that could not be read is retried the same way, at most every {@link MAX_SOURCE_RETRY_MS}.
 */
export function nextAttemptDelay(outcome: AttemptOutcome, random: number): number | undefined {
  const jittered = (ms: number): number => Math.round(ms * (1 + JITTER * random));
  const backoff = outcome.failures > 0 && outcome.retryable ? FIRST_RETRY_MS * 2 ** Math.min(outcome.failures - 1, 30) : undefined;
  if (outcome.refreshMs !== undefined) return jittered(Math.min(backoff ?? outcome.refreshMs, outcome.refreshMs));
  return backoff === undefined ? undefined : jittered(Math.min(backoff, MAX_SOURCE_RETRY_MS));
}
