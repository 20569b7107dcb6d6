/** An amount of in-flight work: how many items and how many bytes they hold. */
export interface BudgetAmount {
  readonly count: number;
  readonly bytes: number;
}

/**
 * A share of an {@link InflightBudget} held by its taker until released. `release` is
 * idempotent; `split` moves part of it into a lease of its own (how a pull's reservation is
 * handed to the deliveries it brings).
 */
export interface BudgetLease {
  /** What this lease holds now. */
  readonly held: BudgetAmount;
  /**
   * Moves `count` and `bytes` out of this lease into a new one. Asking for more than this lease
   * holds takes the rest from the budget even beyond its limits (never refused: the work is
   * already here); the budget then stays over its limit until enough is released.
   */
  split(count: number, bytes: number): BudgetLease;
  /** Gives what this lease still holds back to the budget; idempotent. */
  release(): void;
}

function checkAmount(what: string, count: number, bytes: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`${what}: count must be an integer >= 0, got ${String(count)}`);
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`${what}: bytes must be an integer >= 0, got ${String(bytes)}`);
}

/**
 * A budget of in-flight work bounded both in count and in bytes: at most `limits.count` items
 * holding at most `limits.bytes` bytes are leased at once (only {@link BudgetLease.split} may
 * overdraw it, for work that has already arrived). Takers either try (and refuse work when it
 * does not fit) or wait until a given amount is free; waiters are woken on every release.
 */
export class InflightBudget {
  readonly limits: BudgetAmount;
  #count = 0;
  #bytes = 0;
  #waiters: { amount: BudgetAmount; resolve: (fits: boolean) => void }[] = [];

  constructor(limits: BudgetAmount) {
    checkAmount("in-flight budget", limits.count, limits.bytes);
    if (limits.count < 1 || limits.bytes < 1) throw new RangeError(`in-flight budget: count and bytes must be >= 1, got ${String(limits.count)} and ${String(limits.bytes)}`);
    this.limits = Object.freeze({ count: limits.count, bytes: limits.bytes });
  }

  /** What is leased right now (may exceed the limits after an overdrawing split). */
  get used(): BudgetAmount {
    return { count: this.#count, bytes: this.#bytes };
  }

  /** What can still be leased (0 when at or over a limit). */
  get free(): BudgetAmount {
    return { count: Math.max(0, this.limits.count - this.#count), bytes: Math.max(0, this.limits.bytes - this.#bytes) };
  }

  /** True when `count` items of `bytes` bytes fit in what is free now. */
  fits(count: number, bytes: number): boolean {
    const free = this.free;
    return count <= free.count && bytes <= free.bytes;
  }

  /** A lease of `count` items and `bytes` bytes when they fit now; undefined otherwise. */
  tryTake(count: number, bytes: number): BudgetLease | undefined {
    checkAmount("tryTake", count, bytes);
    if (!this.fits(count, bytes)) return undefined;
    return this.#lease(count, bytes);
  }

  /**
   * Resolves true once `count` items of `bytes` bytes fit (immediately when they do; it takes
   * nothing: the caller then takes what it needs), or false when `signal` aborts first. An amount
   * above the limits never fits.
   */
  whenFits(count: number, bytes: number, signal?: AbortSignal): Promise<boolean> {
    checkAmount("whenFits", count, bytes);
    if (signal?.aborted === true) return Promise.resolve(false);
    if (this.fits(count, bytes)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        amount: { count, bytes },
        resolve: (fits: boolean) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(fits);
        },
      };
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
        waiter.resolve(false);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #lease(count: number, bytes: number): BudgetLease {
    this.#count += count;
    this.#bytes += bytes;
    let held = { count, bytes };
    let released = false;
    const lease: BudgetLease = {
      get held() {
        return held;
      },
      split: (splitCount, splitBytes) => {
        checkAmount("split", splitCount, splitBytes);
        const moved = { count: Math.min(splitCount, held.count), bytes: Math.min(splitBytes, held.bytes) };
        held = { count: held.count - moved.count, bytes: held.bytes - moved.bytes };
        // Only the overdraw is new to the budget; the moved part stays leased, so nobody is woken.
        this.#count -= moved.count;
        this.#bytes -= moved.bytes;
        return this.#lease(splitCount, splitBytes);
      },
      release: () => {
        if (released) return;
        released = true;
        const returned = held;
        held = { count: 0, bytes: 0 };
        this.#give(returned.count, returned.bytes);
      },
    };
    return lease;
  }

  #give(count: number, bytes: number): void {
    this.#count -= count;
    this.#bytes -= bytes;
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((waiter) => this.fits(waiter.amount.count, waiter.amount.bytes));
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(true);
  }
}
