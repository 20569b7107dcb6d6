import type { RuntimeClock, TimerHandle } from "../../runtime/clock.ts";
import { Semaphore } from "../intake-semaphore.ts";

/** Writes one batch of requests for one key; resolves with one outcome per request, in order. */
export type BatchWrite<R, O> = (key: string, requests: readonly R[]) => Promise<O[]>;

/** Options of {@link KeyedBatcher}. */
export interface KeyedBatcherOptions<R, O> {
  readonly clock: RuntimeClock;
  /** Batch writes for one key are at least this far apart; requests arriving meanwhile share the next one. */
  readonly intervalMs: number;
  /** Batch writes in flight at once across all keys. */
  readonly concurrency: number;
  readonly write: BatchWrite<R, O>;
}

interface Pending<R, O> {
  request: R;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

interface KeyState<R, O> {
  pending: Pending<R, O>[];
  writing: boolean;
  /** Clock time (ms) when the last write for this key ended. */
  lastWriteAt: number | undefined;
  timer: TimerHandle | undefined;
}

/**
 * Batches requests per key: a key's requests are written together, one batch write per key at a
 * time and at most one per `intervalMs` (requests arriving while a write is in flight or too
 * recent wait for the next one), with at most `concurrency` batch writes in flight across keys.
 * A key is forgotten once it has been idle for `intervalMs`. `submit` resolves with the
 * request's outcome once its batch is written, and rejects with the batch's error.
 */
export class KeyedBatcher<R, O> {
  readonly #options: KeyedBatcherOptions<R, O>;
  readonly #slots: Semaphore;
  readonly #keys = new Map<string, KeyState<R, O>>();

  constructor(options: KeyedBatcherOptions<R, O>) {
    this.#options = options;
    this.#slots = new Semaphore(Math.max(1, options.concurrency));
  }

  /** Adds `request` to the next batch of `key`; see the class comment. */
  submit(key: string, request: R): Promise<O> {
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { pending: [], writing: false, lastWriteAt: undefined, timer: undefined };
      this.#keys.set(key, state);
    }
    const entry = state;
    return new Promise<O>((resolve, reject) => {
      entry.pending.push({ request, resolve, reject });
      this.#schedule(key, entry);
    });
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }

  #schedule(key: string, state: KeyState<R, O>): void {
    if (state.writing || state.timer !== undefined) return;
    if (state.pending.length === 0) {
      // Idle: forget the key once its interval is over.
      const idleFor = state.lastWriteAt === undefined ? Infinity : this.#now() - state.lastWriteAt;
      if (idleFor >= this.#options.intervalMs) {
        this.#keys.delete(key);
        return;
      }
      state.timer = this.#options.clock.setTimer(this.#options.intervalMs - idleFor, () => {
        state.timer = undefined;
        this.#schedule(key, state);
      });
      return;
    }
    const wait = state.lastWriteAt === undefined ? 0 : state.lastWriteAt + this.#options.intervalMs - this.#now();
    if (wait > 0) {
      state.timer = this.#options.clock.setTimer(wait, () => {
        state.timer = undefined;
        this.#schedule(key, state);
      });
      return;
    }
    void this.#flush(key, state);
  }

  async #flush(key: string, state: KeyState<R, O>): Promise<void> {
    state.writing = true;
    await this.#slots.acquire();
    const batch = state.pending.splice(0);
    try {
      const outcomes = await this.#options.write(key, batch.map((pending) => pending.request));
      batch.forEach((pending, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined) pending.reject(new Error(`batch write of ${key} lost an outcome`));
        else pending.resolve(outcome);
      });
    } catch (error: unknown) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#slots.release();
      state.writing = false;
      state.lastWriteAt = this.#now();
      this.#schedule(key, state);
    }
  }
}
