/**
 * A token bucket: holds at most `burst` tokens and gains `perMinute` tokens a minute, counted
 * lazily from the times it is asked at (no timer). Starts full.
 */
export class TokenBucket {
  readonly #burst: number;
  readonly #perMs: number;
  #tokens: number;
  #atMs: number;

  constructor(limit: { burst: number; perMinute: number }, nowMs: number) {
    if (!Number.isSafeInteger(limit.burst) || limit.burst < 1) throw new RangeError(`burst must be an integer >= 1, got ${String(limit.burst)}`);
    if (!Number.isFinite(limit.perMinute) || limit.perMinute < 0) throw new RangeError(`perMinute must be a finite number >= 0, got ${String(limit.perMinute)}`);
    this.#burst = limit.burst;
    this.#perMs = limit.perMinute / 60_000;
    this.#tokens = limit.burst;
    this.#atMs = nowMs;
  }

  /** Whether a whole token is there at `nowMs` (refilled up to then); does not take it. */
  available(nowMs: number): boolean {
    this.#refill(nowMs);
    return this.#tokens >= 1;
  }

  /** Takes one token; call only after {@link available} said yes at the same instant. */
  take(): void {
    this.#tokens -= 1;
  }

  /** Gives back a token taken for something that did not happen (never above `burst`). */
  refund(): void {
    this.#tokens = Math.min(this.#burst, this.#tokens + 1);
  }

  #refill(nowMs: number): void {
    // A clock going back refills nothing and moves the reference back with it.
    const elapsed = Math.max(0, nowMs - this.#atMs);
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
    this.#atMs = nowMs;
  }
}
