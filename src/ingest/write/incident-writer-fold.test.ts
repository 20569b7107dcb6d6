import { V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { MAX_COUNTED_EVENTS, MAX_OBSERVABLES, MAX_RECENT_EVENTS } from "../../api/v1alpha1/schema/incident.ts";
import { COUNTED_EVENT_KEY_LENGTH, countedEventKey } from "../../api/v1alpha1/counted-events.ts";
import { eventHash } from "../identity/event-hash.ts";
import { foldEvents, isFull, isOpen, mergeObservables, type FoldEvent } from "./incident-writer-fold.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";

const t0 = "2026-11-28T10:00:00.000Z";
const t1 = "2026-11-28T10:00:05.000Z";
const t2 = "2026-11-28T10:01:00.000Z";

function firing(hash: string, time = t1, observables: FoldEvent["observables"] = []): FoldEvent {
  return { hash, alertStatus: "firing", time, observables };
}

function resolved(hash: string, time = t2): FoldEvent {
  return { hash, alertStatus: "resolved", time, observables: [] };
}

describe("foldEvents", () => {
  const cases: {
    name: string;
    current: IncidentStatus | undefined;
    events: FoldEvent[];
    expected: Partial<IncidentStatus>;
    counted: number;
    duplicates: number;
    changed: boolean;
  }[] = [
    {
      name: "first event of a new Incident",
      current: undefined,
      events: [firing("a", t0)],
      expected: { occurrences: 1, firstSeen: t0, lastSeen: t0, recentEvents: ["a"], alertStatus: "firing" },
      counted: 1,
      duplicates: 0,
      changed: true,
    },
    {
      name: "distinct events are each counted once",
      current: { occurrences: 1, firstSeen: t0, lastSeen: t0, recentEvents: ["a"], alertStatus: "firing" },
      events: [firing("b", t1), firing("c", t2)],
      expected: { occurrences: 3, firstSeen: t0, lastSeen: t2, recentEvents: ["a", "b", "c"] },
      counted: 2,
      duplicates: 0,
      changed: true,
    },
    {
      name: "a redelivered event is not counted again",
      current: { occurrences: 2, firstSeen: t0, lastSeen: t1, recentEvents: ["a", "b"], alertStatus: "firing" },
      events: [firing("b", t2)],
      expected: { occurrences: 2, lastSeen: t1, recentEvents: ["a", "b"] },
      counted: 0,
      duplicates: 1,
      changed: false,
    },
    {
      name: "the same event twice in one batch counts once",
      current: undefined,
      events: [firing("a", t0), firing("a", t1)],
      expected: { occurrences: 1, lastSeen: t0, recentEvents: ["a"] },
      counted: 1,
      duplicates: 1,
      changed: true,
    },
    {
      name: "a resolved alert is recorded, not counted",
      current: { occurrences: 4, firstSeen: t0, lastSeen: t1, recentEvents: ["a"], alertStatus: "firing" },
      events: [resolved("r", t2)],
      expected: { occurrences: 4, alertStatus: "resolved", resolvedAlertAt: t2, recentEvents: ["a", "r"], lastSeen: t1 },
      counted: 0,
      duplicates: 0,
      changed: true,
    },
    {
      name: "firing again after resolved sets firing",
      current: { occurrences: 1, firstSeen: t0, lastSeen: t0, recentEvents: ["a", "r"], alertStatus: "resolved", resolvedAlertAt: t1 },
      events: [firing("b", t2)],
      expected: { occurrences: 2, alertStatus: "firing", lastSeen: t2 },
      counted: 1,
      duplicates: 0,
      changed: true,
    },
    {
      name: "an earlier event moves firstSeen back",
      current: { occurrences: 1, firstSeen: t1, lastSeen: t1, recentEvents: ["a"], alertStatus: "firing" },
      events: [firing("b", t0)],
      expected: { occurrences: 2, firstSeen: t0, lastSeen: t1 },
      counted: 1,
      duplicates: 0,
      changed: true,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = foldEvents(testCase.current, testCase.events);
      expect(result.status).toMatchObject(testCase.expected);
      expect(result.counted).toBe(testCase.counted);
      expect(result.duplicates).toBe(testCase.duplicates);
      expect(result.changed).toBe(testCase.changed);
    });
  }

  it("clears resolvedAlertAt when the alert fires again, in a later batch or the same one", () => {
    const resolvedBefore: IncidentStatus = { occurrences: 1, recentEvents: ["a", "r"], alertStatus: "resolved", resolvedAlertAt: t1 };
    expect(foldEvents(resolvedBefore, [firing("b", t2)]).status).not.toHaveProperty("resolvedAlertAt");
    expect(foldEvents(undefined, [firing("a", t0), resolved("r", t1), firing("b", t2)]).status).not.toHaveProperty("resolvedAlertAt");
    expect(foldEvents(undefined, [firing("a", t0), resolved("r", t2)]).status).toMatchObject({ alertStatus: "resolved", resolvedAlertAt: t2 });
    expect(foldEvents(resolvedBefore, [firing("a", t2)]).status).toMatchObject({ resolvedAlertAt: t1 });
  });

  it("keeps fields it does not own and does not mutate its input", () => {
    const current: IncidentStatus = { phase: "Running", occurrences: 1, recentEvents: ["a"], timeline: [] };
    const copy = structuredClone(current);
    const result = foldEvents(current, [firing("b")]);
    expect(current).toEqual(copy);
    expect(result.status.phase).toBe("Running");
    expect(result.status.timeline).toEqual([]);
  });

  it("keeps only the latest recent events", () => {
    const recent = Array.from({ length: MAX_RECENT_EVENTS }, (_, index) => `h${String(index)}`);
    const result = foldEvents({ occurrences: MAX_RECENT_EVENTS, recentEvents: recent }, [firing("new")]);
    expect(result.status.recentEvents).toHaveLength(MAX_RECENT_EVENTS);
    expect(result.status.recentEvents?.at(-1)).toBe("new");
    expect(result.status.recentEvents?.[0]).toBe("h1");
    expect(result.status.occurrences).toBe(MAX_RECENT_EVENTS + 1);
  });

  it("reports each event's effect in order", () => {
    const result = foldEvents({ recentEvents: ["a"] }, [firing("a"), firing("b"), resolved("c")]);
    expect(result.effects).toEqual(["duplicate", "counted", "resolved"]);
  });

  it("counts each of 1,000 alerts of one group once, however often and however late the group repeats", () => {
    // Alertmanager's event ids: <fingerprint>:<startsAt>:<status>, the same in every repeat.
    const group = Array.from({ length: 1_000 }, (_, index) =>
      firing(eventHash("http://alertmanager:9093", `${index.toString(16).padStart(16, "0")}:${t0}:firing`), t1),
    );
    let status: IncidentStatus | undefined;
    for (let notification = 0; notification < 4; notification++) {
      // Each notification arrives in batches, as the fold interval cuts it.
      for (let at = 0; at < group.length; at += 100) status = foldEvents(status, group.slice(at, at + 100)).status;
    }
    expect(status?.occurrences).toBe(1_000);
    expect(status?.countedEvents).toHaveLength(1_000 * COUNTED_EVENT_KEY_LENGTH);
    expect(status?.recentEvents).toHaveLength(MAX_RECENT_EVENTS);
    const repeat = foldEvents(status, group);
    expect(repeat).toMatchObject({ counted: 0, duplicates: 1_000, changed: false });
  });

  it("recognises the events an Incident written before countedEvents existed listed in recentEvents", () => {
    const result = foldEvents({ occurrences: 2, recentEvents: ["a", "b"] }, [firing("b"), firing("c")]);
    expect(result.effects).toEqual(["duplicate", "counted"]);
    expect(result.status.countedEvents).toBe(["a", "b", "c"].map(countedEventKey).join(""));
  });

  it("leaves new events beyond the bound out, for the next Incident", () => {
    const keys = Array.from({ length: MAX_COUNTED_EVENTS - 1 }, (_, index) => countedEventKey(`h${String(index)}`));
    const almostFull: IncidentStatus = { occurrences: keys.length, countedEvents: keys.join("") };
    expect(isFull(almostFull)).toBe(false);
    const result = foldEvents(almostFull, [firing("h3"), firing("last"), firing("beyond")]);
    expect(result.effects).toEqual(["duplicate", "counted", "overflow"]);
    expect(result).toMatchObject({ counted: 1, duplicates: 1, overflow: 1 });
    expect(result.status.occurrences).toBe(MAX_COUNTED_EVENTS);
    expect(isFull(result.status)).toBe(true);
    expect(isOpen(incident({}, result.status), Date.parse(t1), 3_600_000)).toBe(false);
  });

  it("merges observables without repeats", () => {
    const result = foldEvents(
      { observables: [{ type: "ip", value: "10.0.0.1" }] },
      [firing("a", t0, [{ type: "ip", value: "10.0.0.1" }, { type: "user", value: "root" }])],
    );
    expect(result.status.observables).toEqual([
      { type: "ip", value: "10.0.0.1" },
      { type: "user", value: "root" },
    ]);
  });
});

describe("mergeObservables", () => {
  it("is bounded", () => {
    const many = Array.from({ length: MAX_OBSERVABLES + 10 }, (_, index) => ({ type: "domain" as const, value: `d${String(index)}.example` }));
    expect(mergeObservables([], many)).toHaveLength(MAX_OBSERVABLES);
  });
});

function incident(spec: Partial<Incident["spec"]>, status?: IncidentStatus): Incident {
  return {
    apiVersion: API_VERSION,
    kind: "Incident",
    metadata: Object.assign(new V1ObjectMeta(), { name: "x", namespace: "ns" }),
    spec: { severity: "high", title: "t", fingerprint: "f", source: { kind: "falco" }, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}

describe("isOpen", () => {
  const now = Date.parse(t2);
  const hour = 3_600_000;
  const cases: { name: string; incident: Incident; open: boolean }[] = [
    { name: "just created, no status", incident: incident({}), open: true },
    { name: "open and recent", incident: incident({ state: "Open" }, { lastSeen: t1 }), open: true },
    { name: "acknowledged and recent", incident: incident({ state: "Acknowledged" }, { lastSeen: t1 }), open: true },
    { name: "resolved", incident: incident({ state: "Resolved" }, { lastSeen: t1 }), open: false },
    { name: "closed", incident: incident({ state: "Closed" }, { lastSeen: t1 }), open: false },
    { name: "phase resolved", incident: incident({}, { lastSeen: t1, phase: "Resolved" }), open: false },
    { name: "idle beyond the window", incident: incident({}, { lastSeen: new Date(now - 2 * hour).toISOString() }), open: false },
    { name: "idle exactly the window", incident: incident({}, { lastSeen: new Date(now - hour).toISOString() }), open: true },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      expect(isOpen(testCase.incident, now, hour)).toBe(testCase.open);
    });
  }
});

describe("recorded events", () => {
  it("finds an event hash in recentEvents", () => {
    const recorded = incident({}, { recentEvents: ["a", "b"] });
    expect(occurrenceStatus(recorded).recentEvents).toContain("b");
    expect(occurrenceStatus(recorded).recentEvents).not.toContain("c");
    expect(occurrenceStatus(incident({})).recentEvents ?? []).not.toContain("a");
  });
});
