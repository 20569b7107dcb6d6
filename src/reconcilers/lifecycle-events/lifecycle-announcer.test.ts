import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { metricValue } from "../../testing/metrics.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";
import { LifecycleAnnouncer, PUBLISH_RETRY_INITIAL_MS } from "./lifecycle-announcer.ts";
import type { LifecycleEventSink, PublishResult } from "./lifecycle-event-sink.ts";
import { pendingLifecycleEvents, type LifecycleEvent, type PendingEvents } from "./pending-events.ts";

/** A sink that records what it is given and refuses the ids listed in `refuse`. */
function sink(refuse: Set<string> = new Set()): LifecycleEventSink & { readonly published: string[] } {
  const published: string[] = [];
  return {
    published,
    publish(event: LifecycleEvent): Promise<PublishResult> {
      if (refuse.has(event.id)) return Promise.reject(new Error("NATS is not connected"));
      published.push(event.id);
      return Promise.resolve("published");
    },
  };
}

/** opened, two finished steps and resolved. */
function fourEvents(): PendingEvents {
  const incident = anIncident({ spec: { state: "Resolved" } });
  const status = {
    occurrences: 1,
    playbooks: [{ name: "pb", phase: "Succeeded" as const, steps: [{ name: "a", phase: "Succeeded" as const, attempts: 1 }, { name: "b", phase: "Failed" as const, attempts: 2 }] }],
  };
  return pendingLifecycleEvents({ incident, status, now: FIXED_NOW, escalationLevel: 0 });
}

describe("LifecycleAnnouncer", () => {
  it("publishes every pending event in order and returns the cursor of the last", async () => {
    const target = sink();
    const registry = new Registry();
    const announcer = new LifecycleAnnouncer(target, registry);
    const pending = fourEvents();
    const announced = await announcer.announce("ns/inc", pending, silentLogger);
    expect(target.published).toEqual(["inc-uid/opened", "inc-uid/step/pb/a/1/finished", "inc-uid/step/pb/b/2/finished", "inc-uid/resolved"]);
    expect(announced).toEqual({ cursor: pending.events[3]?.cursor, retryAfterMs: undefined });
    expect(await metricValue(registry, "soar_incident_events_published_total", { type: "io.kube-soar.step.finished", result: "published" })).toBe(2);
  });

  it("stops at the first refusal, keeps it and the later events pending, and backs off per Incident", async () => {
    const target = sink(new Set(["inc-uid/step/pb/b/2/finished"]));
    const registry = new Registry();
    const announcer = new LifecycleAnnouncer(target, registry);
    const pending = fourEvents();
    const first = await announcer.announce("ns/inc", pending, silentLogger);
    expect(target.published).toEqual(["inc-uid/opened", "inc-uid/step/pb/a/1/finished"]);
    expect(first).toEqual({ cursor: pending.events[1]?.cursor, retryAfterMs: PUBLISH_RETRY_INITIAL_MS });
    const second = await announcer.announce("ns/inc", pending, silentLogger);
    expect(second.retryAfterMs).toBe(2 * PUBLISH_RETRY_INITIAL_MS);
    expect(await metricValue(registry, "soar_incident_events_published_total", { type: "io.kube-soar.step.finished", result: "failed" })).toBe(2);
  });

  it("does not publish again what it published and no write recorded yet, until the write is done", async () => {
    const target = sink();
    const announcer = new LifecycleAnnouncer(target, new Registry());
    const pending = fourEvents();
    await announcer.announce("ns/inc", pending, silentLogger);
    // The status write failed (a conflict): the next reconcile finds the same events pending.
    const retried = await announcer.announce("ns/inc", pending, silentLogger);
    expect(target.published).toHaveLength(4);
    expect(retried.cursor).toEqual(pending.events[3]?.cursor);
    // Once a write recorded them, an event still pending (a cursor lost) would be published again.
    announcer.recorded("ns/inc");
    await announcer.announce("ns/inc", pending, silentLogger);
    expect(target.published).toHaveLength(8);
  });
});
