import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { sleep, systemRuntimeClock, type RuntimeClock } from "./clock.ts";
import { isConflict, TransientError } from "./errors.ts";
import { counterOn, gaugeOn, histogramOn } from "./metric-registration.ts";
import type { WorkQueue } from "./work-queue.ts";

/** What a reconcile asks for when it succeeds. */
export interface ReconcileResult {
  /**
   * Look again after this many milliseconds (> 0), without backoff: how a reconcile waits (a
   * Job running, an approval pending, a retry backing off). There is no bare "requeue": a
   * reconcile that must look again soon says when; one that failed throws.
   */
  requeueAfter?: number;
}

/** Per-reconcile context. */
export interface ReconcileContext {
  /** Unique per reconcile; also present on `logger`. */
  reconcileID: string;
  /** Carries controller, namespace, name and reconcileID. */
  logger: Logger;
  /** Aborts when the controller gives up waiting for this reconcile during shutdown. */
  signal: AbortSignal;
}

/** Converges the object behind `key`; throws a reconcile error kind to signal failure. */
export type ReconcileFunction = (key: string, context: ReconcileContext) => Promise<ReconcileResult | undefined>;

/** What a controller needs. */
export interface ControllerOptions {
  /** The `controller` label of the metrics, e.g. "incident". */
  name: string;
  queue: WorkQueue;
  reconcile: ReconcileFunction;
  /** Reconciles of distinct keys that may run at once (>= 1). */
  maxConcurrentReconciles: number;
  registry: Registry;
  /** The logger the controller's lines go to; the controller adds its `controller` key itself. */
  logger: Logger;
  /** How long `start` waits for in-flight reconciles after its signal aborts; default 30 s. */
  gracefulShutdownTimeoutMs?: number;
  clock?: RuntimeClock;
}

/** The `result` label of `controller_runtime_reconcile_total`. */
export type ReconcileOutcome = "success" | "error" | "requeue_after";

interface ControllerMetrics {
  total: Counter<"controller" | "result">;
  errors: Counter<"controller">;
  conflicts: Counter<"controller">;
  time: Histogram<"controller">;
  maxConcurrent: Gauge<"controller">;
  activeWorkers: Gauge<"controller">;
}

const reconcileTimeBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75,
  2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

function controllerMetrics(registry: Registry): ControllerMetrics {
  const labelNames = ["controller"] as const;
  return {
    total: counterOn(registry, {
      name: "controller_runtime_reconcile_total",
      help: "Total number of reconciliations per controller.",
      labelNames: ["controller", "result"],
    }),
    errors: counterOn(registry, {
      name: "controller_runtime_reconcile_errors_total",
      help: "Total number of reconciliation errors per controller.",
      labelNames,
    }),
    conflicts: counterOn(registry, {
      name: "soar_reconcile_conflicts_total",
      help: "Reconciles that failed on an API conflict (409: the object changed since it was read), per controller; routine, retried with backoff. Also counted as reconcile errors.",
      labelNames,
    }),
    time: histogramOn(registry, {
      name: "controller_runtime_reconcile_time_seconds",
      help: "Length of time per reconciliation per controller.",
      labelNames,
      buckets: reconcileTimeBuckets,
    }),
    maxConcurrent: gaugeOn(registry, {
      name: "controller_runtime_max_concurrent_reconciles",
      help: "Maximum number of concurrent reconciles per controller.",
      labelNames,
    }),
    activeWorkers: gaugeOn(registry, {
      name: "controller_runtime_active_workers",
      help: "Number of currently used workers per controller.",
      labelNames,
    }),
  };
}

function reasonOf(error: unknown): string | undefined {
  return error instanceof TransientError ? error.reason : undefined;
}

/** A 409 from the API, thrown as is or as the cause of a reconcile error (a status write's `StatusConflict`). */
function isApiConflict(error: unknown): boolean {
  return isConflict(error) || (error instanceof Error && isConflict(error.cause));
}

/**
 * Runs reconciles for the keys of a work queue, controller-runtime style:
 * - at most `maxConcurrentReconciles` at once and never two for the same key (the queue's
 *   guarantee);
 * - success: the key's backoff is forgotten; `requeueAfter` adds it back after that delay;
 * - `TransientError` or any other error: added back through the rate limiter (an object that
 *   only a spec change can fix is not an error: its reconciler reports Stalled as a condition
 *   and returns), logged at error, except an API conflict (409), which is routine under
 *   optimistic concurrency: logged at debug and counted in `soar_reconcile_conflicts_total`;
 * - `start(signal)` resolves after the signal aborted, the queue shut down and in-flight
 *   reconciles finished, or after the graceful-shutdown timeout, when their signals abort.
 */
export class Controller {
  readonly name: string;
  readonly #options: ControllerOptions;
  readonly #metrics: ControllerMetrics;
  readonly #logger: Logger;
  readonly #clock: RuntimeClock;
  readonly #gracefulShutdownTimeoutMs: number;
  readonly #abandon = new AbortController();
  #started = false;

  constructor(options: ControllerOptions) {
    if (options.name.trim() === "") throw new TypeError("Controller: name must not be empty");
    if (!Number.isInteger(options.maxConcurrentReconciles) || options.maxConcurrentReconciles < 1) {
      throw new RangeError(`maxConcurrentReconciles must be an integer >= 1, got ${String(options.maxConcurrentReconciles)}`);
    }
    const timeout = options.gracefulShutdownTimeoutMs ?? 30_000;
    if (!Number.isFinite(timeout) || timeout < 0) {
      throw new RangeError(`gracefulShutdownTimeoutMs must be a finite number >= 0, got ${String(timeout)}`);
    }
    this.name = options.name;
    this.#options = options;
    this.#gracefulShutdownTimeoutMs = timeout;
    this.#clock = options.clock ?? systemRuntimeClock;
    this.#metrics = controllerMetrics(options.registry);
    this.#logger = options.logger.child({ controller: options.name });
    const labels = { controller: this.name };
    this.#metrics.maxConcurrent.set(labels, options.maxConcurrentReconciles);
    this.#metrics.activeWorkers.set(labels, 0);
    this.#metrics.errors.inc(labels, 0);
    this.#metrics.conflicts.inc(labels, 0);
    for (const result of ["success", "error", "requeue_after"] as const) {
      this.#metrics.total.inc({ controller: this.name, result }, 0);
    }
  }

  /** Processes keys until `signal` aborts, then stops gracefully. Can be started once. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error(`controller ${this.name} was already started`);
    this.#started = true;
    const queue = this.#options.queue;
    const workers = Array.from({ length: this.#options.maxConcurrentReconciles }, () => this.#work());
    this.#logger.info({ workers: workers.length }, "controller started");
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => { resolve(); }, { once: true });
    });
    this.#logger.info({ inFlight: queue.processingCount() }, "controller stopping");
    queue.shutDown();
    const stopWaiting = new AbortController();
    const drained = await Promise.race([
      Promise.all(workers).then(() => true),
      sleep(this.#clock, this.#gracefulShutdownTimeoutMs, stopWaiting.signal).then(() => false),
    ]);
    stopWaiting.abort();
    if (!drained) {
      this.#logger.warn(
        { inFlight: queue.processingCount(), gracefulShutdownTimeoutMs: this.#gracefulShutdownTimeoutMs },
        "controller stopped before in-flight reconciles finished",
      );
      this.#abandon.abort(new Error("controller stopped"));
      return;
    }
    this.#logger.info("controller stopped");
  }

  async #work(): Promise<void> {
    const queue = this.#options.queue;
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      this.#metrics.activeWorkers.inc({ controller: this.name });
      try {
        await this.#reconcileKey(key);
      } finally {
        this.#metrics.activeWorkers.dec({ controller: this.name });
        queue.done(key);
      }
    }
  }

  async #reconcileKey(key: string): Promise<void> {
    const reconcileID = randomUUID();
    const logger = this.#logger.child({ key, reconcileID });
    const started = this.#clock.now().getTime();
    let outcome: ReconcileOutcome;
    try {
      const result = await this.#options.reconcile(key, { reconcileID, logger, signal: this.#abandon.signal });
      outcome = this.#afterSuccess(key, result ?? {}, logger);
    } catch (error: unknown) {
      outcome = this.#afterError(key, error, logger);
    }
    const labels = { controller: this.name };
    this.#metrics.time.observe(labels, (this.#clock.now().getTime() - started) / 1000);
    this.#metrics.total.inc({ controller: this.name, result: outcome });
  }

  #afterSuccess(key: string, result: ReconcileResult, logger: Logger): ReconcileOutcome {
    const queue = this.#options.queue;
    const { requeueAfter } = result;
    if (requeueAfter !== undefined && (!Number.isFinite(requeueAfter) || requeueAfter < 0)) {
      return this.#afterError(
        key,
        new TypeError(`reconcile result requeueAfter must be a finite number >= 0, got ${String(requeueAfter)}`),
        logger,
      );
    }
    if (requeueAfter !== undefined && requeueAfter > 0) {
      queue.forget(key);
      queue.addAfter(key, requeueAfter);
      logger.debug({ requeueAfterMs: requeueAfter }, "reconcile requeued after delay");
      return "requeue_after";
    }
    queue.forget(key);
    return "success";
  }

  #afterError(key: string, error: unknown, logger: Logger): ReconcileOutcome {
    const queue = this.#options.queue;
    const labels = { controller: this.name };
    this.#metrics.errors.inc(labels);
    queue.addRateLimited(key);
    const details = { reason: reasonOf(error), retries: queue.numRequeues(key), err: error };
    if (isApiConflict(error)) {
      this.#metrics.conflicts.inc(labels);
      logger.debug(details, "reconcile met a conflicting write; retrying with backoff");
    } else {
      logger.error(details, "reconcile failed; retrying with backoff");
    }
    return "error";
  }
}
