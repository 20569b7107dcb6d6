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
const intending: PlaybookRun = { name: "pb", phase: "Running", steps: [{ name: "isolate", phase: "Running", intent: { attempt: 1, id: "uid/pb/isolate/1" } }] };

const succeeded: PlaybookRun = { name: "pb", phase: "Succeeded", steps: [{ name: "isolate", phase: "Succeeded", intent: { attempt: 1, id: "uid/pb/isolate/1" } }] };
const succeededDry: PlaybookRun = { ...succeeded, dryRun: true };
const failed: PlaybookRun = { name: "pb", phase: "Failed", steps: [{ name: "isolate", phase: "Failed", intent: { attempt: 1, id: "uid/pb/isolate/1" } }] };

/** An Incident whose spec a person changed (`spec`), with status `status`. */
function handled(spec: Partial<Incident["spec"]>, status: IncidentStatus = {}): Incident {
  return anIncident({ metadata: { generation: 4 }, spec: { playbooks: ["pb"], ...spec }, status });
}

const approval = { playbook: "pb", step: "gate", decision: "approve" as const, by: "alice" };
const earlier = "2026-01-01T00:00:00Z";

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
    { name: "the phase comes from the summary", given: { runs: [started] }, field: "phase", value: "Running" },
  ])("$name", ({ given, field, value }) => {
    const { status } = close(input(given));
    expect(status[field as keyof IncidentStatus]).toEqual(value);
  });

  it.each([
    { name: "is set when the state is Acknowledged", incident: handled({ state: "Acknowledged" }), value: now.toISOString() },
    { name: "is set when an assignee is set", incident: handled({ assignee: "alice" }), value: now.toISOString() },
    { name: "is set with resolvedAt when a person resolves at once", incident: handled({ state: "Resolved" }), finalState: "Resolved" as const, value: now.toISOString() },
    { name: "is not set for an open Incident", incident: handled({ assignee: "  " }), value: undefined },
    { name: "is kept once set", incident: handled({ state: "Acknowledged" }, { acknowledgedAt: earlier }), value: earlier },
    { name: "is not set after a person resolved the Incident", incident: handled({ state: "Closed" }, { resolvedAt: earlier }), finalState: "Closed" as const, value: undefined },
    { name: "is not set after the automation resolved the Incident", incident: handled({ assignee: "bob" }, { phase: "Succeeded", automationResolvedAt: earlier }), value: undefined },
  ])("acknowledgedAt $name", ({ incident: given, finalState, value }) => {
    expect(close(input({ incident: given, finalState })).status.acknowledgedAt).toEqual(value);
  });

  it.each([
    { name: "is set when the write makes the phase Succeeded after a response action", incident: incident({ phase: "Running" }), runs: [succeeded], value: now.toISOString() },
    { name: "is not set when a run failed", incident: incident({ phase: "Running" }), runs: [failed], value: undefined },
    { name: "is not set when only a dry run succeeded", incident: incident({ phase: "Running" }), runs: [succeededDry], value: undefined },
    { name: "is not set when nothing ran", incident: incident({ phase: "Pending" }), runs: [], value: undefined },
    { name: "is not set when a person took the Incident on", incident: handled({ state: "Acknowledged" }, { phase: "Running" }), runs: [succeeded], value: undefined },
    { name: "is not set when a person decided an approval", incident: handled({ approvals: [approval] }, { phase: "AwaitingApproval" }), runs: [succeeded], value: undefined },
    { name: "is not set for an Incident that was Succeeded already", incident: incident({ phase: "Succeeded", respondedAt: earlier }), runs: [succeeded], value: undefined },
    { name: "is kept once set", incident: incident({ phase: "Succeeded", respondedAt: earlier, automationResolvedAt: earlier }), runs: [succeeded], value: earlier },
  ])("automationResolvedAt $name", ({ incident: given, runs, value }) => {
    expect(close(input({ incident: given, runs })).status.automationResolvedAt).toEqual(value);
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
