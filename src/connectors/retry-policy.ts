import { cappedExponential } from "../runtime/backoff.ts";

/** Statuses worth retrying: timeouts, throttling and transient server errors. */
const retryableStatuses: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** True when a response with this status may succeed if sent again. */
export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}

/** True when `status` counts as success: one of `successCodes`, or any 2xx when none are given. */
export function isSuccessStatus(status: number, successCodes: readonly number[] | undefined): boolean {
  return successCodes === undefined || successCodes.length === 0 ? status >= 200 && status < 300 : successCodes.includes(status);
}

/** Longest wait between two attempts of one call, whatever the backoff doubles to. */
export const MAX_BACKOFF_MS = 60_000;

/** The wait before retry number `retry` (1-based): `initialMs` doubling, capped. */
export function backoffDelay(initialMs: number, retry: number): number {
  return cappedExponential(initialMs, retry - 1, MAX_BACKOFF_MS);
}
