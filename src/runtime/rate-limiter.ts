import { cappedExponential } from "./backoff.ts";
import type { Clock } from "./clock.ts";

/** Decides how long a key waits before it is retried. */
export interface RateLimiter {
  /** The delay in milliseconds before `key` may be retried; counts as one more retry of it. */
  when(key: string): number;
  /** Clears the retry history of `key` (after a success). */
  forget(key: string): void;
  /** How many times `key` has been retried since it was last forgotten. */
  retries(key: string): number;
}

function requirePositive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${field} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Per-key exponential backoff: the n-th retry of a key waits `baseDelayMs * 2^n`, never more
 * than `maxDelayMs`. Keys are independent.
 */
export class ItemExponentialRateLimiter implements RateLimiter {
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #failures = new Map<string, number>();

  constructor(baseDelayMs: number, maxDelayMs: number) {
    this.#baseDelayMs = requirePositive("baseDelayMs", baseDelayMs);
    this.#maxDelayMs = requirePositive("maxDelayMs", maxDelayMs);
  }

  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    return cappedExponential(this.#baseDelayMs, failures, this.#maxDelayMs);
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  retries(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * A token bucket shared by all keys: `burst` retries pass at once, then `qps` per second.
 * Every call reserves a token, so a burst of callers is spread out in time rather than
 * refused. It keeps no per-key state.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastMs: number;

  constructor(options: { qps: number; burst: number; clock: Clock }) {
    this.#qps = requirePositive("qps", options.qps);
    this.#burst = requirePositive("burst", options.burst);
    this.#clock = options.clock;
    this.#tokens = this.#burst;
    this.#lastMs = options.clock.now().getTime();
  }

  when(): number {
    const nowMs = this.#clock.now().getTime();
    const elapsedMs = Math.max(0, nowMs - this.#lastMs);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsedMs * this.#qps) / 1000);
    this.#lastMs = nowMs;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#qps) * 1000);
  }

  forget(): void {
    // The bucket is shared; a key's success gives no token back.
  }

  retries(): number {
    return 0;
  }
}

/** Combines limiters: the delay is the longest any of them asks for. */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(limiters: readonly RateLimiter[]) {
    if (limiters.length === 0) throw new RangeError("limiters must not be empty");
    this.#limiters = limiters;
  }

  when(key: string): number {
    return Math.max(...this.#limiters.map((limiter) => limiter.when(key)));
  }

  forget(key: string): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  retries(key: string): number {
    return Math.max(...this.#limiters.map((limiter) => limiter.retries(key)));
  }
}

/**
 * controller-runtime's default: per-key backoff from 5 ms doubling to 1000 s, combined with a
 * global bucket of 10 qps and burst 100.
 */
export function defaultControllerRateLimiter(clock: Clock): RateLimiter {
  return new MaxOfRateLimiter([
    new ItemExponentialRateLimiter(5, 1_000_000),
    new TokenBucketRateLimiter({ qps: 10, burst: 100, clock }),
  ]);
}
