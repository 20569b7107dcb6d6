import type { RuntimeClock, TimerHandle } from "../runtime/clock.ts";

interface ManualTimer {
  readonly dueAt: number;
  readonly sequence: number;
  readonly callback: () => void;
}

/**
 * A clock that only moves when told to. `advance` fires every timer that falls due, in due-time
 * order (ties in scheduling order), each with `now()` set to its due time; timers scheduled by a
 * firing callback run in the same `advance` when they fall within it.
 */
export class ManualClock implements RuntimeClock {
  #nowMs: number;
  #sequence = 0;
  readonly #timers = new Set<ManualTimer>();

  constructor(start: Date = new Date("2025-01-01T00:00:00Z")) {
    this.#nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: ManualTimer = {
      dueAt: this.#nowMs + Math.max(0, delayMs),
      sequence: this.#sequence++,
      callback,
    };
    this.#timers.add(timer);
    return { cancel: () => { this.#timers.delete(timer); } };
  }

  /** Moves time forward by `ms`, firing timers that fall due on the way. */
  advance(ms: number): void {
    const target = this.#nowMs + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#nowMs = next.dueAt;
      next.callback();
    }
    this.#nowMs = target;
  }

  /** How many timers are scheduled and not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.size;
  }

  /** Milliseconds from now until each scheduled timer is due, soonest first. */
  pendingDelays(): number[] {
    return [...this.#timers].map((timer) => timer.dueAt - this.#nowMs).sort((a, b) => a - b);
  }

  #nextDue(limit: number): ManualTimer | undefined {
    let next: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.dueAt > limit) continue;
      if (next === undefined || timer.dueAt < next.dueAt || (timer.dueAt === next.dueAt && timer.sequence < next.sequence)) {
        next = timer;
      }
    }
    return next;
  }
}
