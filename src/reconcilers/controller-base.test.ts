import { Registry } from "prom-client";
import { describe, expect, it, vi } from "vitest";
import { capturedLogger } from "../testing/captured-logger.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { unused } from "../testing/unused.ts";
import { controllerBase } from "./controller-base.ts";
import type { EventRecorder } from "./event-recorder.ts";

describe("controllerBase", () => {
  it("names the controller exactly once on every line it and its reconciles log", async () => {
    const { logger, lines } = capturedLogger("debug");
    const events: EventRecorder = { record: () => undefined, drain: () => Promise.resolve() };
    const base = controllerBase("things", {
      kubeConfig: unused("kubeConfig"),
      informers: unused("informers"),
      logger,
      registry: new Registry(),
      clock: new ManualClock(),
      options: { maxConcurrentReconciles: 1, watchNamespaces: [], namespace: "kube-soar-system", verifyTenancy: true },
      identity: "test",
      events,
    });
    const managed = base.managed({
      reconcile: (_key, context) => {
        context.logger.info("reconciling");
        return Promise.resolve(undefined);
      },
      caches: [],
    });
    const stop = new AbortController();
    const running = managed.start(stop.signal);
    base.queue.add("ns/a");
    await vi.waitFor(() => {
      expect(lines.some((line) => line.includes('"reconciling"'))).toBe(true);
    });
    stop.abort();
    await running;
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line.match(/"controller":/g), line).toHaveLength(1);
  });
});
