import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../testing/manual-clock.ts";
import { ItemExponentialRateLimiter } from "./rate-limiter.ts";
import { metricValue } from "../testing/metrics.ts";
import { WorkQueue } from "./work-queue.ts";

function setup(options: { rateLimited?: boolean } = {}) {
  const clock = new ManualClock();
  const registry = new Registry();
  const queue = new WorkQueue({
    name: "test",
    registry,
    clock,
    ...(options.rateLimited === true ? { rateLimiter: new ItemExponentialRateLimiter(5, 1_000) } : {}),
  });
  return { clock, registry, queue };
}

/** Takes every key that is ready now, in order. */
async function drainReady(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const key = await queue.get();
    if (key === undefined) break;
    keys.push(key);
  }
  return keys;
}

describe("WorkQueue adds", () => {
  it.each([
    { adds: ["a"], queued: ["a"], addsTotal: 1 },
    { adds: ["a", "a"], queued: ["a"], addsTotal: 1 },
    { adds: ["a", "b", "a"], queued: ["a", "b"], addsTotal: 2 },
    { adds: ["ns/x", "ns/y", "ns/x", "ns/y"], queued: ["ns/x", "ns/y"], addsTotal: 2 },
  ])("dedups $adds into $queued", async ({ adds, queued, addsTotal }) => {
    const { queue, registry } = setup();
    for (const key of adds) queue.add(key);
    expect(queue.len()).toBe(queued.length);
    expect(await metricValue(registry, "workqueue_depth", { name: "test" })).toBe(queued.length);
    expect(await metricValue(registry, "workqueue_adds_total", { name: "test" })).toBe(addsTotal);
    expect(await drainReady(queue)).toEqual(queued);
  });

  it("hands a key to one worker at a time and requeues it after done when added meanwhile", async () => {
    const { queue } = setup();
    queue.add("a");
    const first = await queue.get();
    expect(first).toBe("a");
    queue.add("a");
    expect(queue.len()).toBe(0);
    queue.add("a");
    expect(queue.len()).toBe(0);
    queue.done("a");
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe("a");
    queue.done("a");
    expect(queue.len()).toBe(0);
    expect(queue.processingCount()).toBe(0);
  });

  it("does not requeue a key on done when it was not added meanwhile", async () => {
    const { queue } = setup();
    queue.add("a");
    await queue.get();
    queue.done("a");
    expect(queue.len()).toBe(0);
  });

  it("wakes a waiting worker when a key arrives", async () => {
    const { queue } = setup();
    const pending = queue.get();
    queue.add("late");
    expect(await pending).toBe("late");
    expect(queue.processingCount()).toBe(1);
  });
});

describe("WorkQueue.addAfter", () => {
  it.each([
    { name: "a delay adds at its due time", calls: [100], readyAt: 100 },
    { name: "an earlier delay wins over a pending later one", calls: [100, 50], readyAt: 50 },
    { name: "a later delay does not postpone a pending earlier one", calls: [50, 100], readyAt: 50 },
  ])("$name", ({ calls, readyAt }) => {
    const { queue, clock } = setup();
    for (const delay of calls) queue.addAfter("a", delay);
    clock.advance(readyAt - 1);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
    clock.advance(1_000);
    expect(queue.len()).toBe(1);
  });

  it.each([0, -5])("adds at once for a delay of %d", (delay) => {
    const { queue } = setup();
    queue.addAfter("a", delay);
    expect(queue.len()).toBe(1);
  });
});

describe("WorkQueue.addRateLimited", () => {
  it("backs a failing key off exponentially and forget resets it", async () => {
    const { queue, clock, registry } = setup({ rateLimited: true });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const startedAt = clock.now().getTime();
      queue.addRateLimited("a");
      while (queue.len() === 0) clock.advance(1);
      delays.push(clock.now().getTime() - startedAt);
      expect(await queue.get()).toBe("a");
      queue.done("a");
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(queue.numRequeues("a")).toBe(5);
    queue.forget("a");
    expect(queue.numRequeues("a")).toBe(0);
    queue.addRateLimited("a");
    clock.advance(5);
    expect(queue.len()).toBe(1);
    expect(await metricValue(registry, "workqueue_retries_total", { name: "test" })).toBe(6);
  });
});

describe("WorkQueue shutdown", () => {
  it("stops handing out keys, ignores adds, drops delayed keys and releases waiting workers", async () => {
    const { queue, clock } = setup();
    const waiting = queue.get();
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    queue.add("a");
    queue.addAfter("b", 10);
    queue.addRateLimited("c");
    expect(queue.len()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect(await queue.get()).toBeUndefined();
    expect(queue.isShuttingDown()).toBe(true);
  });

  it("cancels delayed adds pending at shutdown", () => {
    const { queue, clock } = setup();
    queue.addAfter("a", 10);
    expect(clock.pendingTimers()).toBe(1);
    queue.shutDown();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("drains: resolves only after every handed-out key is done", async () => {
    const { queue } = setup();
    queue.add("a");
    queue.add("b");
    const a = await queue.get();
    queue.shutDown();
    let drained = false;
    const draining = queue.drain().then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    if (a !== undefined) queue.done(a);
    await draining;
    expect(drained).toBe(true);
    expect(queue.len()).toBe(0);
  });
});

describe("WorkQueue metrics", () => {
  it("reports queue latency, work duration, unfinished work and the longest running processor", async () => {
    const { queue, clock, registry } = setup();
    const labels = { name: "test" };
    queue.add("a");
    queue.add("b");
    clock.advance(2_000);
    const a = await queue.get();
    const b = await queue.get();
    expect([a, b]).toEqual(["a", "b"]);
    clock.advance(3_000);
    queue.done("a");
    clock.advance(1_000);
    expect(await metricValue(registry, "workqueue_unfinished_work_seconds", labels)).toBe(4);
    expect(await metricValue(registry, "workqueue_longest_running_processor_seconds", labels)).toBe(4);
    expect(await metricValue(registry, "workqueue_queue_duration_seconds", labels)).toBe(2);
    expect(await metricValue(registry, "workqueue_work_duration_seconds", labels)).toBe(1);
    queue.done("b");
    expect(await metricValue(registry, "workqueue_unfinished_work_seconds", labels)).toBe(0);
    expect(await metricValue(registry, "workqueue_work_duration_seconds", labels)).toBe(2);
    const text = await registry.metrics();
    expect(text).toContain('workqueue_queue_duration_seconds_sum{name="test"} 4');
    expect(text).toContain('workqueue_work_duration_seconds_sum{name="test"} 7');
  });

  it("lets several queues share one registry, told apart by the name label", async () => {
    const clock = new ManualClock();
    const registry = new Registry();
    const first = new WorkQueue({ name: "first", registry, clock });
    const second = new WorkQueue({ name: "second", registry, clock });
    first.add("a");
    second.add("a");
    second.add("b");
    expect(await metricValue(registry, "workqueue_depth", { name: "first" })).toBe(1);
    expect(await metricValue(registry, "workqueue_depth", { name: "second" })).toBe(2);
  });

  it("rejects an empty name", () => {
    expect(() => new WorkQueue({ name: " ", registry: new Registry(), clock: new ManualClock() })).toThrow(/name must not be empty/);
  });
});
