import { Registry } from "prom-client";
import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../testing/manual-clock.ts";
import { Controller, type ReconcileContext, type ReconcileFunction, type ReconcileOutcome } from "./controller.ts";
import { ApiException } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { capturedLogger } from "../testing/captured-logger.ts";
import { TransientError } from "./errors.ts";
import { ItemExponentialRateLimiter } from "./rate-limiter.ts";
import { metricValue } from "../testing/metrics.ts";
import { WorkQueue } from "./work-queue.ts";
import { silentLogger } from "../testing/silent-logger.ts";

const silent = silentLogger;

function setup(reconcile: ReconcileFunction, options: { maxConcurrentReconciles?: number; gracefulShutdownTimeoutMs?: number; logger?: Logger } = {}) {
  const clock = new ManualClock();
  const registry = new Registry();
  const queue = new WorkQueue({ name: "things", registry, clock, rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000) });
  const controller = new Controller({
    name: "things",
    queue,
    reconcile,
    maxConcurrentReconciles: options.maxConcurrentReconciles ?? 1,
    registry,
    logger: options.logger ?? silent,
    clock,
    ...(options.gracefulShutdownTimeoutMs === undefined ? {} : { gracefulShutdownTimeoutMs: options.gracefulShutdownTimeoutMs }),
  });
  const stop = new AbortController();
  const running = controller.start(stop.signal);
  return { clock, registry, queue, controller, stop, running };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

type FirstResult = () => Promise<{ requeueAfter?: number } | undefined>;

const cases: {
  name: string;
  first: FirstResult;
  result: ReconcileOutcome;
  errors: number;
  /** Milliseconds after which the key comes back, or undefined when it must not. */
  requeuedAfter: number | undefined;
  retries: number;
}[] = [
  { name: "success with no result", first: () => Promise.resolve(undefined), result: "success", errors: 0, requeuedAfter: undefined, retries: 0 },
  { name: "success with an empty result", first: () => Promise.resolve({}), result: "success", errors: 0, requeuedAfter: undefined, retries: 0 },
  { name: "requeueAfter", first: () => Promise.resolve({ requeueAfter: 30_000 }), result: "requeue_after", errors: 0, requeuedAfter: 30_000, retries: 0 },
  { name: "TransientError", first: () => Promise.reject(new TransientError("ApiUnavailable", "api down")), result: "error", errors: 1, requeuedAfter: 5, retries: 1 },
  { name: "an unknown error", first: () => Promise.reject(new Error("bug")), result: "error", errors: 1, requeuedAfter: 5, retries: 1 },
  { name: "a synchronous throw", first: () => { throw new Error("sync bug"); }, result: "error", errors: 1, requeuedAfter: 5, retries: 1 },
  { name: "an invalid requeueAfter", first: () => Promise.resolve({ requeueAfter: -1 }), result: "error", errors: 1, requeuedAfter: 5, retries: 1 },
];

describe("Controller requeue behaviour", () => {
  it.each(cases)("$name → result $result", async ({ first, result, errors, requeuedAfter, retries }) => {
    let calls = 0;
    const { clock, registry, queue, stop, running } = setup(() => {
      calls++;
      return calls === 1 ? first() : Promise.resolve(undefined);
    });
    queue.add("ns/a");
    await vi.waitFor(async () => {
      expect(await metricValue(registry, "controller_runtime_reconcile_total", { controller: "things", result })).toBe(1);
    });
    expect(queue.processingCount()).toBe(0);
    expect(queue.numRequeues("ns/a")).toBe(retries);
    expect(await metricValue(registry, "controller_runtime_reconcile_errors_total", { controller: "things" })).toBe(errors);
    expect(await metricValue(registry, "controller_runtime_reconcile_time_seconds", { controller: "things" })).toBe(1);

    if (requeuedAfter === undefined) {
      clock.advance(3_600_000);
      expect(queue.len() + queue.processingCount()).toBe(0);
    } else {
      clock.advance(requeuedAfter - 1);
      expect(queue.len() + queue.processingCount()).toBe(0);
      clock.advance(1);
      expect(queue.len() + queue.processingCount()).toBe(1);
      await vi.waitFor(() => {
        expect(calls).toBe(2);
      });
    }
    stop.abort();
    await running;
  });

  it.each([
    ["a status write's StatusConflict", () => new TransientError("StatusConflict", "status changed", { cause: new ApiException(409, "Conflict", {}, {}) })],
    ["a bare 409", () => new ApiException(409, "Conflict", {}, {})],
  ])("logs %s at debug, counts it as a conflict and retries", async (_name, conflict) => {
    const { logger, lines } = capturedLogger("debug");
    let calls = 0;
    const { clock, registry, queue, stop, running } = setup(() => (++calls === 1 ? Promise.reject(conflict()) : Promise.resolve(undefined)), { logger });
    queue.add("ns/a");
    await vi.waitFor(async () => {
      expect(await metricValue(registry, "soar_reconcile_conflicts_total", { controller: "things" })).toBe(1);
    });
    const failures = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.msg.includes("retrying with backoff"));
    expect(failures).toEqual([expect.objectContaining({ level: 20 })]);
    expect(await metricValue(registry, "controller_runtime_reconcile_errors_total", { controller: "things" })).toBe(1);
    clock.advance(5);
    await vi.waitFor(() => {
      expect(calls).toBe(2);
    });
    stop.abort();
    await running;
  });

  it("logs other failures at error and does not count them as conflicts", async () => {
    const { logger, lines } = capturedLogger("debug");
    const { registry, queue, stop, running } = setup(() => Promise.reject(new ApiException(500, "boom", {}, {})), { logger });
    queue.add("ns/a");
    await vi.waitFor(async () => {
      expect(await metricValue(registry, "controller_runtime_reconcile_errors_total", { controller: "things" })).toBe(1);
    });
    expect(lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.msg.includes("retrying"))).toEqual([
      expect.objectContaining({ level: 50 }),
    ]);
    expect(await metricValue(registry, "soar_reconcile_conflicts_total", { controller: "things" })).toBe(0);
    stop.abort();
    await running;
  });

  it("forgets the backoff of a key once it succeeds", async () => {
    let calls = 0;
    const { clock, queue, stop, running } = setup(() => {
      calls++;
      return calls <= 2 ? Promise.reject(new TransientError("Flaky", "flaky")) : Promise.resolve(undefined);
    });
    queue.add("a");
    await vi.waitFor(() => {
      expect(queue.numRequeues("a")).toBe(1);
    });
    clock.advance(5);
    await vi.waitFor(() => {
      expect(queue.numRequeues("a")).toBe(2);
    });
    clock.advance(10);
    await vi.waitFor(() => {
      expect(calls).toBe(3);
      expect(queue.processingCount()).toBe(0);
    });
    expect(queue.numRequeues("a")).toBe(0);
    stop.abort();
    await running;
  });
});

describe("Controller concurrency and context", () => {
  it("runs up to maxConcurrentReconciles at once and reports active workers", async () => {
    const gate = deferred();
    const started: string[] = [];
    const contexts: ReconcileContext[] = [];
    const { registry, queue, stop, running } = setup(
      async (key, context) => {
        started.push(key);
        contexts.push(context);
        await gate.promise;
        return undefined;
      },
      { maxConcurrentReconciles: 2 },
    );
    queue.add("a");
    queue.add("b");
    queue.add("c");
    await vi.waitFor(() => {
      expect(started).toEqual(["a", "b"]);
    });
    expect(await metricValue(registry, "controller_runtime_active_workers", { controller: "things" })).toBe(2);
    expect(await metricValue(registry, "controller_runtime_max_concurrent_reconciles", { controller: "things" })).toBe(2);
    expect(new Set(contexts.map((context) => context.reconcileID)).size).toBe(2);
    expect(contexts[0]?.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    gate.resolve();
    await vi.waitFor(() => {
      expect(started).toEqual(["a", "b", "c"]);
    });
    await vi.waitFor(async () => {
      expect(await metricValue(registry, "controller_runtime_active_workers", { controller: "things" })).toBe(0);
    });
    stop.abort();
    await running;
  });

  it("rejects bad options", () => {
    const clock = new ManualClock();
    const registry = new Registry();
    const queue = new WorkQueue({ name: "q", registry, clock });
    const base = { name: "c", queue, reconcile: () => Promise.resolve(undefined), registry, logger: silent, clock };
    expect(() => new Controller({ ...base, maxConcurrentReconciles: 0 })).toThrow(/maxConcurrentReconciles must be an integer >= 1/);
    expect(() => new Controller({ ...base, maxConcurrentReconciles: 1, gracefulShutdownTimeoutMs: -1 })).toThrow(/gracefulShutdownTimeoutMs/);
    expect(() => new Controller({ ...base, name: "", maxConcurrentReconciles: 1 })).toThrow(/name must not be empty/);
  });
});

describe("Controller graceful stop", () => {
  it("stops taking work and waits for in-flight reconciles", async () => {
    const gate = deferred();
    const started: string[] = [];
    const { queue, stop, running } = setup(async (key) => {
      started.push(key);
      await gate.promise;
      return undefined;
    });
    queue.add("a");
    queue.add("b");
    await vi.waitFor(() => {
      expect(started).toEqual(["a"]);
    });
    let stopped = false;
    const done = running.then(() => {
      stopped = true;
    });
    stop.abort();
    await vi.waitFor(() => {
      expect(queue.isShuttingDown()).toBe(true);
    });
    expect(stopped).toBe(false);
    gate.resolve();
    await done;
    expect(started).toEqual(["a"]);
    expect(queue.processingCount()).toBe(0);
  });

  it("gives up after the graceful-shutdown timeout and aborts the reconcile's signal", async () => {
    let context: ReconcileContext | undefined;
    const { clock, queue, stop, running } = setup(
      (_key, ctx) => {
        context = ctx;
        return new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => { resolve(undefined); });
        });
      },
      { gracefulShutdownTimeoutMs: 1_000 },
    );
    queue.add("a");
    await vi.waitFor(() => {
      expect(context).toBeDefined();
    });
    stop.abort();
    await vi.waitFor(() => {
      expect(clock.pendingTimers()).toBe(1);
    });
    expect(context?.signal.aborted).toBe(false);
    clock.advance(1_000);
    await running;
    expect(context?.signal.aborted).toBe(true);
  });

  it("refuses a second start", async () => {
    const { controller, stop, running } = setup(() => Promise.resolve(undefined));
    await expect(controller.start(stop.signal)).rejects.toThrow(/already started/);
    stop.abort();
    await running;
  });
});
