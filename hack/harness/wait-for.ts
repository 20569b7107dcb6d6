import { setTimeout as delay } from "node:timers/promises";

/** How long and how often {@link waitFor} polls, and what it waits for (used in its error). */
export interface WaitForOptions {
  timeoutMs: number;
  intervalMs?: number;
  description: string;
}

/** The value a poll returns when the condition does not hold yet. */
export type NotYet = undefined | null | false;

/**
 * Polls `condition` until it returns a value other than `undefined`, `null` or `false`, and
 * resolves with that value. A thrown error counts as "not yet" so that conditions may read
 * objects that do not exist yet; the last such error is quoted when the deadline passes.
 * Rejects with an error naming `description` once `timeoutMs` has elapsed; the condition is
 * always evaluated at least once and never runs concurrently with itself.
 */
export async function waitFor<T>(
  condition: () => T | NotYet | Promise<T | NotYet>,
  options: WaitForOptions,
): Promise<T> {
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (error: unknown) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? "" : `; last error: ${errorMessage(lastError)}`;
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}${cause}`, {
        cause: lastError,
      });
    }
    await delay(Math.max(0, Math.min(intervalMs, deadline - Date.now())));
  }
}

/** The message of an error, or the string form of anything else thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
