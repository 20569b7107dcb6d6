/**
 * Hands out event-loop turns in arrival order, one waiter per turn: `await turns.next()` resumes
 * its caller in an event-loop iteration of its own (from a `setImmediate`), so that socket
 * reads, timers and other requests (a liveness probe) are served between two pieces of long
 * synchronous work, however many are queued at once. Every piece of work that takes a turn runs
 * alone until its next `await`.
 */
export class EventLoopTurns {
  readonly #waiters: (() => void)[] = [];
  #scheduled = false;

  /** Waiters not resumed yet. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves in an event-loop iteration of its own, after those who asked earlier. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const resolve = this.#waiters.shift();
      // Scheduled from inside this callback, the next turn runs in the next loop iteration, after
      // the I/O that is ready: only one waiter resumes per iteration.
      if (this.#waiters.length > 0) this.#schedule();
      resolve?.();
    });
  }
}
