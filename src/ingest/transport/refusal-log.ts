import type { Logger } from "pino";
import { systemRuntimeClock, type Clock } from "../../runtime/clock.ts";

/**
 * The least time between two log lines for the same refusal reason. Refusals in between are
 * counted, and the next line for that reason says how many were left out.
 */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** What the receiver logs about one refused request. */
export interface Refusal {
  /** Why, from a fixed set (an auth refusal or a rejection reason): the rate-limiting key. */
  reason: string;
  status: number;
  /** The client's address as the socket sees it. */
  remoteAddress: string | undefined;
  path: string;
  message: string;
}

/**
 * Logs refused requests at warn with reason, status, remote address, path and message: at
 * most one line per reason per {@link REFUSAL_LOG_INTERVAL_MS}, each carrying `suppressed`, the
 * refusals of that reason left out since the previous line. Memory is bounded by the number
 * of distinct reasons.
 */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(logger: Logger, clock: Clock = systemRuntimeClock) {
    this.#logger = logger;
    this.#clock = clock;
  }

  /** Records one refusal, logging it unless its reason was logged within the interval. */
  refused(refusal: Refusal): void {
    const nowMs = this.#clock.now().getTime();
    const last = this.#last.get(refusal.reason);
    if (last !== undefined && nowMs - last.atMs < REFUSAL_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    this.#last.set(refusal.reason, { atMs: nowMs, suppressed: 0 });
    this.#logger.warn({ ...refusal, suppressed: last?.suppressed ?? 0 }, "receiver refused a request");
  }
}
