/** Longest wait between two attempts of a step, whatever its backoff and attempt count. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * How long to wait after attempt `attempt` (1-based) failed before the next one starts: the
 * step's backoff, doubled for each further failure, capped at {@link MAX_RETRY_DELAY_MS}.
 */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  const doublings = Math.max(0, attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, backoffMs * 2 ** Math.min(doublings, 30));
}

/** Whether a step that has made `attempts` attempts may make another one, given its retry limit. */
export function mayRetry(attempts: number, retryLimit: number): boolean {
  return attempts <= retryLimit;
}
