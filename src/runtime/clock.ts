/** A source of the current time, injected so that decisions can be tested at fixed instants. */
export interface Clock {
  now(): Date;
}

/** A scheduled callback that can be called off before it fires. */
export interface TimerHandle {
  /** Guarantees the callback will not run after this returns (a no-op once it has run). */
  cancel(): void;
}

/**
 * A clock that can also schedule callbacks, so queues, informers and leader election can be
 * driven by a manual clock in tests and by the wall clock in production.
 */
export interface RuntimeClock extends Clock {
  /** Runs `callback` once, no earlier than `delayMs` milliseconds from now. */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
}

/** The wall clock with Node's timers. */
export const systemRuntimeClock: RuntimeClock = {
  now: () => new Date(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => { clearTimeout(handle); } };
  },
};

/**
 * Waits `delayMs` on `clock`. Resolves `true` when the delay elapsed and `false` as soon as
 * `signal` aborts (immediately when it already has); never rejects.
 */
export function sleep(clock: RuntimeClock, delayMs: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
