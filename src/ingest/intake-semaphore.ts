/**
 * A counting semaphore: at most `limit` holders at once; waiters are served in arrival order.
 */
export class Semaphore {
  readonly #limit: number;
  #held = 0;
  readonly #waiters: (() => void)[] = [];
  readonly #idleWaiters: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be an integer >= 1, got ${String(limit)}`);
    this.#limit = limit;
  }

  /** Holders right now. */
  get held(): number {
    return this.#held;
  }

  /** Resolves once a slot is held by the caller; pair every call with one {@link release}. */
  acquire(): Promise<void> {
    if (this.#held < this.#limit) {
      this.#held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
    });
  }

  /** Gives a slot back, handing it to the oldest waiter if there is one. */
  release(): void {
    const next = this.#waiters.shift();
    if (next !== undefined) {
      next();
      return;
    }
    if (this.#held > 0) this.#held--;
    if (this.#held === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves when no slot is held (immediately when none is). */
  idle(): Promise<void> {
    if (this.#held === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
    });
  }
}
