import { describe, expect, it } from "vitest";
import type { Incident, IncidentStatus, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { close, type CloseInput } from "./close.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";

const now = FIXED_NOW;

function incident(status: IncidentStatus = {}): Incident {
  return anIncident({ metadata: { generation: 4 }, spec: { playbooks: ["pb"] }, status });
}

const started: PlaybookRun = { name: "pb", phase: "Running", steps: [{ name: "a", phase: "Running", job: "j1", intent: { attempt: 1, id: "j1" } }] };
const dry: PlaybookRun = { ...started, dryRun: true };
const acted: PlaybookRun = { name: "pb", phase: "Running", steps: [{ name: "isolate", phase: "Succeeded", intent: { attempt: 1, id: "uid/pb/isolate/1" } }] };
const awaiting: PlaybookRun = { name: "pb", phase: "AwaitingApproval", steps: [{ name: "gate", phase: "Waiting", attempts: 1 }, { name: "gate2", phase: "Waiting", attempts: 1 }] };
const intending: PlaybookRun = { name: "pb", phase: "Running", steps: [{ name: "isolate", phase: "Running", intent: { attempt: 1, id: "uid/pb/isolate/1" } }] };

function input(overrides: Partial<CloseInput>): CloseInput {
  return { incident: incident(), runs: [], events: [], finalState: undefined, mayStart: true, waits: [], now, ...overrides };
}

describe("close", () => {
  it.each([
    { name: "respondedAt is set when a real run has a Job", given: { runs: [started] }, field: "respondedAt", value: now.toISOString() },
    { name: "respondedAt is set when an action or call was carried out", given: { runs: [acted] }, field: "respondedAt", value: now.toISOString() },
    { name: "a recorded intent alone does not set respondedAt", given: { runs: [intending] }, field: "respondedAt", value: undefined },
    { name: "a dry run never sets respondedAt", given: { runs: [dry] }, field: "respondedAt", value: undefined },
    { name: "respondedAt is kept once set", given: { incident: incident({ respondedAt: "2026-01-01T00:00:00Z" }), runs: [started] }, field: "respondedAt", value: "2026-01-01T00:00:00Z" },
    { name: "resolvedAt is set when resolved", given: { finalState: "Resolved" as const }, field: "resolvedAt", value: now.toISOString() },
    { name: "observedGeneration is the generation read", given: {}, field: "observedGeneration", value: 4 },
    { name: "intake's fields are kept", given: { incident: incident({ occurrences: 7, firstSeen: "2026-01-01T00:00:00Z" }) }, field: "occurrences", value: 7 },
    { name: "waitingApprovals counts the approval steps waiting", given: { runs: [awaiting] }, field: "waitingApprovals", value: 2 },
    { name: "waitingApprovals is 0 without waiting approvals", given: { runs: [started] }, field: "waitingApprovals", value: 0 },
    { name: "waitingApprovals is 0 once closed", given: { runs: [awaiting], finalState: "Closed" as const }, field: "waitingApprovals", value: 0 },
    { name: "the phase comes from the summary", given: { runs: [started] }, field: "phase", value: "Running" },
  ])("$name", ({ given, field, value }) => {
    const { status } = close(input(given));
    expect(status[field as keyof IncidentStatus]).toEqual(value);
  });

  it("writes the opening occurrence intake pinned in spec.opening into status", () => {
    const opened = incident();
    delete opened.status;
    opened.spec.opening = { receivedAt: "2026-03-01T11:59:59.500Z", eventKey: "k1", observables: [{ type: "ip", value: "203.0.113.9" }] };
    const { status, changed } = close(input({ incident: opened }));
    expect(changed).toBe(true);
    expect(status).toMatchObject({
      occurrences: 1,
      firstSeen: "2026-03-01T11:59:59.500Z",
      lastSeen: "2026-03-01T11:59:59.500Z",
      recentEvents: ["k1"],
      alertStatus: "firing",
      observables: [{ type: "ip", value: "203.0.113.9" }],
    });
  });

  it("appends events to the timeline with the reconcile's time", () => {
    const { status } = close(input({ events: [{ type: "Warning", reason: "StepFailed", message: "boom", playbook: "pb", step: "a" }] }));
    expect(status.timeline).toEqual([{ time: now.toISOString(), type: "Warning", reason: "StepFailed", message: "boom", playbook: "pb", step: "a" }]);
  });

  it("reports no change when nothing changed, so nothing is written", () => {
    const first = close(input({ runs: [started] }));
    expect(first.changed).toBe(true);
    const again = close(input({ incident: incident(first.status), runs: [started], now: new Date(now.getTime() + 60_000) }));
    expect(again.changed).toBe(false);
    expect(again.status).toEqual(first.status);
  });
});
