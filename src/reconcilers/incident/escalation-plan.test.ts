import { describe, expect, it } from "vitest";
import type { Incident, IncidentEscalation, IncidentSpec } from "../../api/v1alpha1/types.generated.ts";
import { joinRendered } from "../../expr/index.ts";
import { compiledPlaybook } from "../../testing/compiled-playbook.ts";
import { anIncident } from "../../testing/objects.ts";
import { planEscalation, type EscalationPlanInput } from "./escalation-plan.ts";
import type { EscalationPolicy } from "./escalation-policy.ts";

const opened = new Date("2026-03-01T12:00:00.000Z");
const minutes = (count: number): Date => new Date(opened.getTime() + count * 60_000);
const levels =
  compiledPlaybook([{ name: "tell", notify: { connector: "chat", message: "m" } }], {
    escalation: {
      levels: [
        { after: "5m", connector: "pager", message: "unacknowledged <b>: ${{ incident.title }}" },
        { after: "15m", connector: "manager" },
      ],
    },
  }).escalation?.levels ?? [];
const policy: EscalationPolicy = { playbook: "pb", dryRun: false, levels };

function incident(spec: Partial<IncidentSpec> = {}, escalations?: IncidentEscalation[]): Incident {
  return anIncident({
    metadata: { creationTimestamp: opened },
    spec: { title: "miner <script>", ...spec },
    ...(escalations === undefined ? {} : { status: { escalations } }),
  });
}

function pending(level: number, connector = level === 1 ? "pager" : "manager"): IncidentEscalation {
  return { level, playbook: "pb", connector, id: `inc-uid/escalation/${level}`, at: minutes(5).toISOString(), outcome: "Pending" };
}

function plan(overrides: Partial<EscalationPlanInput>) {
  return planEscalation({
    incident: incident(),
    policy,
    recordedLevel: (_playbook, level) => levels.find((candidate) => candidate.level === level),
    now: minutes(6),
    mayStart: true,
    operatorDryRun: false,
    freshIntents: new Set(),
    unrecorded: new Map(),
    ...overrides,
  });
}

describe("planEscalation", () => {
  it("records a level that fell due as Pending with its idempotency key, calls nothing yet, and comes back for the next level", () => {
    const result = plan({});
    expect(result.escalations).toEqual([{ level: 1, playbook: "pb", connector: "pager", id: "inc-uid/escalation/1", at: minutes(6).toISOString(), outcome: "Pending" }]);
    expect(result.calls).toEqual([]);
    expect(result.events).toEqual([]);
    expect(result.recheckAfterMs).toBe(9 * 60_000);
  });

  it("waits until the first level falls due", () => {
    const result = plan({ now: minutes(2) });
    expect(result).toEqual({ escalations: [], calls: [], events: [], recheckAfterMs: 3 * 60_000 });
  });

  it("carries out a fresh Pending level with its rendered message, keeping the inserted values apart", () => {
    const result = plan({ incident: incident({}, [pending(1)]), freshIntents: new Set(["inc-uid/escalation/1"]) });
    expect(result.escalations).toEqual([pending(1)]);
    expect(result.calls).toHaveLength(1);
    const [call] = result.calls;
    expect({ connector: call?.connector, intentId: call?.intentId, level: call?.level.level }).toEqual({ connector: "pager", intentId: "inc-uid/escalation/1", level: 1 });
    expect(call?.payload).toMatchObject({ kind: "message", rawMarkup: false });
    const message = call?.payload.kind === "message" ? call.payload.message : [];
    expect(joinRendered(message)).toBe("unacknowledged <b>: miner <script>");
    expect(message.filter((piece) => piece.inserted).map((piece) => piece.text)).toEqual(["miner <script>"]);
  });

  it("never sends again a Pending level it did not record itself (a restart between record and answer): Unknown, with a Warning", () => {
    const result = plan({ incident: incident({}, [pending(1)]), now: minutes(7) });
    expect(result.calls).toEqual([]);
    expect(result.escalations[0]).toMatchObject({ level: 1, outcome: "Unknown", finishedAt: minutes(7).toISOString() });
    expect(result.events).toEqual([
      {
        type: "Warning",
        reason: "EscalationFailed",
        playbook: "pb",
        message: "level 1: the outcome of the call of Connector pager is unknown (the operator stopped after recording it); it is not sent again",
      },
    ]);
  });

  it("records the outcome of a call this process made whose status write was lost, even once acknowledged, instead of calling it unknown", () => {
    const sent = { escalation: { ...pending(1), outcome: "Sent" as const, finishedAt: minutes(6).toISOString(), message: "Connector pager answered HTTP 202 after 1 request(s)" }, event: { type: "Normal" as const, reason: "Escalated", message: "level 1: sent", playbook: "pb" } };
    const result = plan({ incident: incident({ state: "Acknowledged" }, [pending(1)]), unrecorded: new Map([["inc-uid/escalation/1", sent]]), now: minutes(7) });
    expect(result.calls).toEqual([]);
    expect(result.escalations).toEqual([sent.escalation]);
    expect(result.events).toEqual([sent.event]);
  });

  it.each([
    { name: "Acknowledged", spec: { state: "Acknowledged" as const } },
    { name: "Resolved", spec: { state: "Resolved" as const } },
    { name: "assigned", spec: { assignee: "alice" } },
  ])("cancels a fresh Pending level of an Incident $name meanwhile, records no further level and awaits none", ({ spec }) => {
    const result = plan({ incident: incident(spec, [pending(1)]), freshIntents: new Set(["inc-uid/escalation/1"]), now: minutes(20) });
    expect(result.calls).toEqual([]);
    expect(result.escalations).toEqual([{ ...pending(1), outcome: "Cancelled", finishedAt: minutes(20).toISOString(), message: "not sent: the Incident was acknowledged first" }]);
    expect(result.events).toEqual([]);
    expect(result.recheckAfterMs).toBeUndefined();
  });

  it("records nothing new while new levels may not start (operator paused), and still settles what is Pending", () => {
    const result = plan({ incident: incident({}, [pending(1)]), now: minutes(20), mayStart: false });
    expect(result.escalations.map((escalation) => [escalation.level, escalation.outcome])).toEqual([[1, "Unknown"]]);
    expect(result.recheckAfterMs).toBeUndefined();
  });

  it("records every level due at once, in order, keeping the settled ones as they are", () => {
    const sent: IncidentEscalation = { ...pending(1), outcome: "Sent", finishedAt: minutes(5).toISOString() };
    const result = plan({ incident: incident({}, [sent]), now: minutes(30) });
    expect(result.escalations.map((escalation) => [escalation.level, escalation.outcome])).toEqual([[1, "Sent"], [2, "Pending"]]);
    expect(result.recheckAfterMs).toBeUndefined();
  });

  it.each([
    { name: "the Playbook", input: { policy: { ...policy, dryRun: true } } },
    { name: "the operator", input: { operatorDryRun: true } },
  ])("renders a level that fell due in a dry run of $name and records it as DryRun, sending nothing", ({ input }) => {
    const result = plan(input);
    const message = "level 1: not acknowledged after 5m: dry run, Connector pager was not called; message: unacknowledged <b>: miner <script>";
    expect(result.calls).toEqual([]);
    expect(result.escalations).toEqual([{ ...pending(1), at: minutes(6).toISOString(), outcome: "DryRun", finishedAt: minutes(6).toISOString(), message: message.slice("level 1: ".length) }]);
    expect(result.events).toEqual([{ type: "Normal", reason: "DryRun", playbook: "pb", message }]);
  });

  it("fails a fresh Pending level whose Playbook no longer declares it, sending nothing", () => {
    const result = plan({ incident: incident({}, [pending(2)]), freshIntents: new Set(["inc-uid/escalation/2"]), recordedLevel: () => undefined, now: minutes(16) });
    expect(result.calls).toEqual([]);
    expect(result.escalations.find((escalation) => escalation.level === 2)).toMatchObject({ outcome: "Failed", reason: "PlaybookChanged", message: "Playbook pb no longer declares this level; nothing was sent" });
  });
});
