import { cappedExponential } from "../runtime/backoff.ts";

/** Longest wait between two attempts of a step, whatever its backoff and attempt count. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * How long to wait after attempt `attempt` (1-based) failed before the next one starts: the
 * step's backoff, doubled for each further failure, capped at {@link MAX_RETRY_DELAY_MS}.
 */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  return cappedExponential(backoffMs, attempt - 1, MAX_RETRY_DELAY_MS);
}

/** Whether a step that has made `attempts` attempts may make another one, given its retry limit. */
export function mayRetry(attempts: number, retryLimit: number): boolean {
  return attempts <= retryLimit;
}
