/** Growth steps beyond which any cap a caller uses has long been reached (and `0 * Infinity` would be NaN). */
const MAX_EXPONENT = 64;

/**
 * The capped exponential delay every backoff of the operator grows by: `initialMs * factor^n`
 * after `n` earlier failures (`n` of 0 gives `initialMs`), never more than `maxMs`. Callers keep
 * their own parameters and jitter.
 */
export function cappedExponential(initialMs: number, n: number, maxMs: number, factor = 2): number {
  return Math.min(maxMs, initialMs * factor ** Math.min(Math.max(0, n), MAX_EXPONENT));
}

/** Shape of a jittered exponential backoff. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds (> 0). */
  initialMs: number;
  /** Upper bound of any delay, in milliseconds (>= initialMs). */
  maxMs: number;
  /** Growth per attempt (>= 1). */
  factor: number;
  /** Fraction in [0, 1) by which a delay is randomly shortened, so that clients spread out. */
  jitter: number;
  /** Uniform random numbers in [0, 1); injected by tests. */
  random?: () => number;
}

/** client-go's reflector backoff, roughly: 800 ms doubling to 30 s. */
export const defaultWatchBackoff: BackoffOptions = { initialMs: 800, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** Throws a RangeError naming the first field of `options` that is out of range. */
export function validateBackoffOptions(options: BackoffOptions): void {
  if (!Number.isFinite(options.initialMs) || options.initialMs <= 0) {
    throw new RangeError(`backoff.initialMs must be a finite number > 0, got ${String(options.initialMs)}`);
  }
  if (!Number.isFinite(options.maxMs) || options.maxMs < options.initialMs) {
    throw new RangeError(`backoff.maxMs must be a finite number >= initialMs, got ${String(options.maxMs)}`);
  }
  if (!Number.isFinite(options.factor) || options.factor < 1) {
    throw new RangeError(`backoff.factor must be a finite number >= 1, got ${String(options.factor)}`);
  }
  if (!(options.jitter >= 0 && options.jitter < 1)) {
    throw new RangeError(`backoff.jitter must be in [0, 1), got ${String(options.jitter)}`);
  }
}

/**
 * Successive delays for retrying a failing operation: the n-th delay is
 * `min(maxMs, initialMs * factor^n)` shortened by up to `jitter` of itself; `reset` starts over.
 */
export class Backoff {
  readonly #options: BackoffOptions;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    validateBackoffOptions(options);
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the next attempt, in milliseconds. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.#options;
    const base = cappedExponential(initialMs, this.#attempt, maxMs, factor);
    this.#attempt++;
    return Math.round(base * (1 - jitter * this.#random()));
  }

  /** Forgets past failures: the next delay is the initial one again. */
  reset(): void {
    this.#attempt = 0;
  }
}
