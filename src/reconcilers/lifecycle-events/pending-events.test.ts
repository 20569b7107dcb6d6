import { describe, expect, it } from "vitest";
import type { Incident, IncidentStatus, PlaybookRun, PublishedLifecycle } from "../../api/v1alpha1/types.generated.ts";
import { beforeFixedNow, FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";
import { pendingLifecycleEvents, type PendingEvents } from "./pending-events.ts";

const opened: PublishedLifecycle = { opened: true, occurrences: 1, severity: "high" };

const running: PlaybookRun = {
  name: "contain",
  phase: "Running",
  steps: [
    { name: "notify", phase: "Succeeded", attempts: 1, finishedAt: beforeFixedNow(1_000), message: "sent with token=abc123" },
    { name: "gate", phase: "Waiting" },
    { name: "never", phase: "Skipped", message: "not run: condition false" },
  ],
};

/** The Incident as read (its stored status holds `published`) and the status its reconcile writes. */
function pending(given: { published?: PublishedLifecycle; read?: IncidentStatus; status?: IncidentStatus; spec?: Partial<Incident["spec"]>; escalationLevel?: number } = {}): PendingEvents {
  const read: IncidentStatus = { phase: "Running", occurrences: 1, ...given.read, ...(given.published === undefined ? {} : { published: given.published }) };
  const incident = anIncident({ spec: { playbooks: ["contain"], ...given.spec }, status: read });
  const status: IncidentStatus = { ...read, ...given.status };
  return pendingLifecycleEvents({ incident, status, now: FIXED_NOW, escalationLevel: given.escalationLevel ?? 0 });
}

const summary = (result: PendingEvents) => result.events.map((event) => `${event.type} ${event.id}`);

describe("pendingLifecycleEvents", () => {
  it("opens an Incident seen for the first time, with its counts, and records them", () => {
    const result = pending({ read: { occurrences: 4 }, status: { phase: "Pending" } });
    expect(summary(result)).toEqual(["io.kube-soar.incident.opened inc-uid/opened"]);
    expect(result.events[0]?.cursor).toEqual({ opened: true, occurrences: 4, severity: "high" });
    expect(result.events[0]?.data).toEqual({
      incident: { namespace: "ns", name: "inc", uid: "inc-uid" },
      severity: "high",
      state: "Open",
      phase: "Pending",
      title: "miner",
      source: "falco",
      occurrences: 4,
      playbooks: [{ name: "contain" }],
    });
    expect(result.events[0]?.time).toBe(FIXED_NOW.toISOString());
    expect(result.cursor).toBeUndefined();
  });

  it("announces nothing an up-to-date cursor records", () => {
    const result = pending({ published: opened });
    expect(result).toEqual({ events: [], cursor: opened, dueInMs: undefined });
  });

  it("announces grown occurrences once, as one updated event with the count reached", () => {
    const result = pending({ published: opened, read: { occurrences: 9 } });
    expect(summary(result)).toEqual(["io.kube-soar.incident.updated inc-uid/updated/9/high"]);
    expect(result.events[0]?.cursor).toEqual({ ...opened, occurrences: 9, updatedAt: FIXED_NOW.toISOString() });
    expect(result.events[0]?.data.occurrences).toBe(9);
  });

  it("announces a raised severity, and not a lowered one", () => {
    expect(summary(pending({ published: opened, spec: { severity: "critical" } }))).toEqual(["io.kube-soar.incident.updated inc-uid/updated/1/critical"]);
    expect(pending({ published: opened, spec: { severity: "low" } }).events).toEqual([]);
  });

  it("holds an updated event back until the minimum interval after the last one, and says when it is due", () => {
    const recent = { ...opened, updatedAt: beforeFixedNow(4_000) };
    const held = pending({ published: recent, read: { occurrences: 5 } });
    expect(held.events).toEqual([]);
    expect(held.dueInMs).toBe(6_000);
    const due = pending({ published: { ...opened, updatedAt: beforeFixedNow(10_000) }, read: { occurrences: 5 } });
    expect(summary(due)).toEqual(["io.kube-soar.incident.updated inc-uid/updated/5/high"]);
  });

  it("announces each step in a final phase once, in status order, with its redacted outcome", () => {
    const result = pending({ published: opened, status: { playbooks: [running] } });
    expect(summary(result)).toEqual([
      "io.kube-soar.step.finished inc-uid/step/contain/notify/1/finished",
      "io.kube-soar.step.finished inc-uid/step/contain/never/0/finished",
    ]);
    expect(result.events[0]?.data.step).toEqual({
      playbook: "contain",
      name: "notify",
      phase: "Succeeded",
      attempts: 1,
      finishedAt: beforeFixedNow(1_000),
      dryRun: false,
      message: "sent with token=[REDACTED]",
    });
    expect(result.events[0]?.data.playbooks).toEqual([{ name: "contain", phase: "Running" }]);
    expect(result.events[1]?.cursor.runs).toEqual([{ name: "contain", steps: ["notify", "never"] }]);
    const again = pending({ published: { ...opened, runs: [{ name: "contain", steps: ["notify"] }] }, status: { playbooks: [running] } });
    expect(summary(again)).toEqual(["io.kube-soar.step.finished inc-uid/step/contain/never/0/finished"]);
  });

  it("publishes opened, updated, escalations, finished steps and the closing in that order, each with the cursor of everything up to it", () => {
    const result = pending({
      published: { opened: true, occurrences: 1, severity: "high" },
      read: { occurrences: 2 },
      status: { playbooks: [running] },
      spec: { state: "Resolved" },
      escalationLevel: 2,
    });
    expect(result.events.map((event) => event.type)).toEqual([
      "io.kube-soar.incident.updated",
      "io.kube-soar.incident.escalated",
      "io.kube-soar.incident.escalated",
      "io.kube-soar.step.finished",
      "io.kube-soar.step.finished",
      "io.kube-soar.incident.resolved",
    ]);
    expect(result.events[2]).toMatchObject({ id: "inc-uid/escalated/2", data: { escalation: { level: 2 } }, cursor: { escalations: 2 } });
    expect(result.events.at(-1)?.cursor).toEqual({
      opened: true,
      occurrences: 2,
      severity: "high",
      updatedAt: FIXED_NOW.toISOString(),
      escalations: 2,
      runs: [{ name: "contain", steps: ["notify", "never"] }],
      closedState: "Resolved",
    });
  });

  it("never sends updated beside opened, which carries the counts", () => {
    expect(summary(pending({ read: { occurrences: 3 }, spec: { severity: "critical" } }))).toEqual(["io.kube-soar.incident.opened inc-uid/opened"]);
  });

  it("announces resolved, then closed, each once", () => {
    expect(summary(pending({ published: opened, spec: { state: "Resolved" } }))).toEqual(["io.kube-soar.incident.resolved inc-uid/resolved"]);
    expect(pending({ published: { ...opened, closedState: "Resolved" }, spec: { state: "Resolved" } }).events).toEqual([]);
    expect(summary(pending({ published: { ...opened, closedState: "Resolved" }, spec: { state: "Closed" } }))).toEqual(["io.kube-soar.incident.closed inc-uid/closed"]);
    expect(summary(pending({ published: opened, spec: { state: "Closed" } }))).toEqual(["io.kube-soar.incident.closed inc-uid/closed"]);
  });

  it("starts a new cycle when the Incident leaves an announced closing, so its next closing has a new id", () => {
    const reopened = pending({ published: { ...opened, closedState: "Closed" }, spec: { state: "Open" } });
    expect(reopened.events).toEqual([]);
    expect(reopened.cursor).toEqual({ ...opened, reopenings: 1 });
    expect(summary(pending({ published: { ...opened, reopenings: 1 }, spec: { state: "Resolved" } }))).toEqual(["io.kube-soar.incident.resolved inc-uid/resolved/2"]);
    const backToResolved = pending({ published: { ...opened, closedState: "Closed" }, spec: { state: "Resolved" } });
    expect(summary(backToResolved)).toEqual(["io.kube-soar.incident.resolved inc-uid/resolved/2"]);
  });

  it("announces each escalation level once", () => {
    expect(summary(pending({ published: { ...opened, escalations: 1 }, escalationLevel: 3 }))).toEqual([
      "io.kube-soar.incident.escalated inc-uid/escalated/2",
      "io.kube-soar.incident.escalated inc-uid/escalated/3",
    ]);
    expect(pending({ published: { ...opened, escalations: 3 }, escalationLevel: 3 }).events).toEqual([]);
  });

  it("announces nothing of an Incident closed while nothing was published, but the history of one still open", () => {
    expect(pending({ spec: { state: "Closed" } })).toEqual({ events: [], cursor: undefined, dueInMs: undefined });
    expect(summary(pending({ spec: { state: "Resolved" }, status: { playbooks: [running] } }))).toEqual([
      "io.kube-soar.incident.opened inc-uid/opened",
      "io.kube-soar.step.finished inc-uid/step/contain/notify/1/finished",
      "io.kube-soar.step.finished inc-uid/step/contain/never/0/finished",
      "io.kube-soar.incident.resolved inc-uid/resolved",
    ]);
  });

  it("announces an Incident closed before its first reconcile: opened, then closed", () => {
    const incident = anIncident({ spec: { state: "Closed" } });
    const result = pendingLifecycleEvents({ incident, status: { phase: "Closed", occurrences: 1 }, now: FIXED_NOW, escalationLevel: 0 });
    expect(result.events.map((event) => event.id)).toEqual(["inc-uid/opened", "inc-uid/closed"]);
  });

  it("announces nothing of an Incident being deleted or without a uid", () => {
    const deleting = anIncident({ metadata: { deletionTimestamp: new Date(FIXED_NOW) } });
    expect(pendingLifecycleEvents({ incident: deleting, status: {}, now: FIXED_NOW, escalationLevel: 0 }).events).toEqual([]);
    const unnamed = anIncident();
    delete unnamed.metadata.uid;
    expect(pendingLifecycleEvents({ incident: unnamed, status: {}, now: FIXED_NOW, escalationLevel: 0 }).events).toEqual([]);
  });

  it("leaves the alert's payload out of the data and redacts credentials from the title", () => {
    const incident = anIncident({
      spec: { title: "curl with password=hunter2", event: { id: "e", data: { secret: "s3cr3t", cmdline: "x" } }, resources: { namespace: "shop", pod: "web-0", container: "c" } },
    });
    const [event] = pendingLifecycleEvents({ incident, status: { occurrences: 1 }, now: FIXED_NOW, escalationLevel: 0 }).events;
    expect(event?.data.title).toBe("curl with password=[REDACTED]");
    expect(event?.data.resources).toEqual({ namespace: "shop", pod: "web-0" });
    expect(JSON.stringify(event?.data)).not.toContain("s3cr3t");
  });
});
