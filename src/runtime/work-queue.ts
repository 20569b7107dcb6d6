import { exponentialBuckets, type Counter, type Gauge, type Histogram, type Registry } from "prom-client";
import type { RuntimeClock, TimerHandle } from "./clock.ts";
import { counterOn, gaugeOn, histogramOn, onCollect } from "./metric-registration.ts";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiter.ts";

/** What a work queue needs. */
export interface WorkQueueOptions {
  /** The `name` label of the queue's metrics; usually the controller's name. */
  name: string;
  registry: Registry;
  clock: RuntimeClock;
  /** Defaults to controller-runtime's: 5 ms doubling to 1000 s per key, 10 qps / burst 100. */
  rateLimiter?: RateLimiter;
}

interface WorkQueueMetrics {
  depth: Gauge<"name">;
  adds: Counter<"name">;
  queueDuration: Histogram<"name">;
  workDuration: Histogram<"name">;
  retries: Counter<"name">;
  unfinishedWork: Gauge<"name">;
  longestRunning: Gauge<"name">;
}

const durationBuckets = exponentialBuckets(1e-8, 10, 12);

function queueMetrics(registry: Registry): WorkQueueMetrics {
  const labelNames = ["name"] as const;
  return {
    depth: gaugeOn(registry, { name: "workqueue_depth", help: "Current depth of the work queue.", labelNames }),
    adds: counterOn(registry, { name: "workqueue_adds_total", help: "Total number of adds handled by the work queue.", labelNames }),
    queueDuration: histogramOn(registry, {
      name: "workqueue_queue_duration_seconds",
      help: "How long in seconds an item stays in the work queue before being requested.",
      labelNames,
      buckets: durationBuckets,
    }),
    workDuration: histogramOn(registry, {
      name: "workqueue_work_duration_seconds",
      help: "How long in seconds processing an item from the work queue takes.",
      labelNames,
      buckets: durationBuckets,
    }),
    retries: counterOn(registry, { name: "workqueue_retries_total", help: "Total number of retries handled by the work queue.", labelNames }),
    unfinishedWork: gaugeOn(registry, {
      name: "workqueue_unfinished_work_seconds",
      help: "How many seconds of work has been done that is in progress and has not been observed by work_duration.",
      labelNames,
    }),
    longestRunning: gaugeOn(registry, {
      name: "workqueue_longest_running_processor_seconds",
      help: "How many seconds the longest running processor for the work queue has been running.",
      labelNames,
    }),
  };
}

/** A FIFO of keys with O(1) push and shift. */
class KeyFifo {
  #items: string[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(key: string): void {
    this.#items.push(key);
  }

  shift(): string | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const key = this.#items[this.#head];
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return key;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/**
 * A keyed, rate-limited work queue with client-go's contract:
 * - it holds keys (`namespace/name`), never events, and a key is queued at most once;
 * - a key is handed to one worker at a time: a key added while it is being processed is
 *   queued again when the worker calls `done`;
 * - `addAfter` delays an add (the earliest pending delay of a key wins); `addRateLimited`
 *   delays by the rate limiter and `forget` resets the key's backoff;
 * - after `shutDown`, adds are ignored, pending delays are dropped and `get` returns
 *   `undefined`; `drain` resolves once every handed-out key is `done`.
 */
export class WorkQueue {
  readonly name: string;
  readonly #clock: RuntimeClock;
  readonly #rateLimiter: RateLimiter;
  readonly #metrics: WorkQueueMetrics;
  readonly #queue = new KeyFifo();
  /** Keys that need processing: queued, or added again while being processed. */
  readonly #dirty = new Set<string>();
  /** Keys handed to a worker, with the time they were handed out. */
  readonly #processing = new Map<string, number>();
  /** When each queued key was first added. */
  readonly #addedAt = new Map<string, number>();
  readonly #delayed = new Map<string, { readyAt: number; timer: TimerHandle }>();
  readonly #getters: ((key: string | undefined) => void)[] = [];
  readonly #drainWaiters: (() => void)[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions) {
    if (options.name.trim() === "") throw new TypeError("WorkQueue: name must not be empty");
    this.name = options.name;
    this.#clock = options.clock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(options.clock);
    this.#metrics = queueMetrics(options.registry);
    this.#metrics.depth.set({ name: this.name }, 0);
    this.#metrics.adds.inc({ name: this.name }, 0);
    this.#metrics.retries.inc({ name: this.name }, 0);
    onCollect(options.registry, "workqueue_unfinished_work_seconds", () => {
      this.#metrics.unfinishedWork.set({ name: this.name }, this.#unfinishedWorkSeconds());
    });
    onCollect(options.registry, "workqueue_longest_running_processor_seconds", () => {
      this.#metrics.longestRunning.set({ name: this.name }, this.#longestRunningSeconds());
    });
  }

  /** Queues `key` unless it is already queued or the queue is shutting down. */
  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#metrics.adds.inc({ name: this.name });
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#enqueue(key);
  }

  /** Adds `key` after `delayMs`; a later request does not postpone an earlier pending one. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const readyAt = this.#nowMs() + delayMs;
    const pending = this.#delayed.get(key);
    if (pending !== undefined) {
      if (pending.readyAt <= readyAt) return;
      pending.timer.cancel();
    }
    const timer = this.#clock.setTimer(delayMs, () => {
      this.#delayed.delete(key);
      this.add(key);
    });
    this.#delayed.set(key, { readyAt, timer });
  }

  /** Adds `key` after the delay the rate limiter gives it, and counts a retry. */
  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.#metrics.retries.inc({ name: this.name });
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  /** Resets the backoff of `key`; call it when `key` was processed successfully. */
  forget(key: string): void {
    this.#rateLimiter.forget(key);
  }

  /** How many rate-limited retries `key` had since it was last forgotten. */
  numRequeues(key: string): number {
    return this.#rateLimiter.retries(key);
  }

  /**
   * The next key to process, waiting for one if the queue is empty; `undefined` once the
   * queue shuts down. The caller must call `done(key)` when finished with it.
   */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    const key = this.#take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks `key` as processed; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    const startedAt = this.#processing.get(key);
    if (startedAt === undefined) return;
    this.#processing.delete(key);
    this.#metrics.workDuration.observe({ name: this.name }, (this.#nowMs() - startedAt) / 1000);
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#enqueue(key);
    if (this.#processing.size === 0) this.#releaseDrainWaiters();
  }

  /** Number of keys waiting to be handed out (not counting delayed or in-process keys). */
  len(): number {
    return this.#queue.length;
  }

  /** Number of keys currently handed out to workers. */
  processingCount(): number {
    return this.#processing.size;
  }

  /** Stops handing out keys, ignores further adds and drops queued and delayed keys. */
  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    for (const { timer } of this.#delayed.values()) timer.cancel();
    this.#delayed.clear();
    this.#queue.clear();
    this.#dirty.clear();
    this.#addedAt.clear();
    this.#metrics.depth.set({ name: this.name }, 0);
    for (const getter of this.#getters.splice(0)) getter(undefined);
    if (this.#processing.size === 0) this.#releaseDrainWaiters();
  }

  /** True once `shutDown` was called. */
  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Resolves when no key is being processed (at once if none is). */
  drain(): Promise<void> {
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  #enqueue(key: string): void {
    this.#queue.push(key);
    this.#addedAt.set(key, this.#nowMs());
    this.#metrics.depth.set({ name: this.name }, this.#queue.length);
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#getters.length > 0 && this.#queue.length > 0) {
      const getter = this.#getters.shift();
      const key = this.#take();
      if (getter === undefined || key === undefined) return;
      getter(key);
    }
  }

  #take(): string | undefined {
    const key = this.#queue.shift();
    if (key === undefined) return undefined;
    const now = this.#nowMs();
    this.#metrics.depth.set({ name: this.name }, this.#queue.length);
    const addedAt = this.#addedAt.get(key) ?? now;
    this.#addedAt.delete(key);
    this.#metrics.queueDuration.observe({ name: this.name }, (now - addedAt) / 1000);
    this.#dirty.delete(key);
    this.#processing.set(key, now);
    return key;
  }

  #releaseDrainWaiters(): void {
    for (const waiter of this.#drainWaiters.splice(0)) waiter();
  }

  #unfinishedWorkSeconds(): number {
    const now = this.#nowMs();
    let total = 0;
    for (const startedAt of this.#processing.values()) total += now - startedAt;
    return total / 1000;
  }

  #longestRunningSeconds(): number {
    const now = this.#nowMs();
    let longest = 0;
    for (const startedAt of this.#processing.values()) longest = Math.max(longest, now - startedAt);
    return longest / 1000;
  }

  #nowMs(): number {
    return this.#clock.now().getTime();
  }
}
