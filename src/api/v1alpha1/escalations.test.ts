import { describe, expect, it } from "vitest";
import { escalationLevelReached, newlySettledEscalations } from "./escalations.ts";
import type { EscalationOutcome, IncidentEscalation } from "./types.generated.ts";

function escalation(level: number, outcome: EscalationOutcome): IncidentEscalation {
  return { level, playbook: "pb", connector: "pager", id: `uid/escalation/${level}`, at: "2026-03-01T12:00:00Z", outcome };
}

describe("escalationLevelReached", () => {
  it.each([
    { name: "no escalation", escalations: undefined, reached: 0 },
    { name: "a level still Pending", escalations: [escalation(1, "Pending")], reached: 0 },
    { name: "a level sent", escalations: [escalation(1, "Sent")], reached: 1 },
    { name: "a higher level that failed after one sent", escalations: [escalation(1, "Sent"), escalation(2, "Failed")], reached: 1 },
    { name: "levels sent around an unknown one", escalations: [escalation(1, "Sent"), escalation(2, "Unknown"), escalation(3, "Sent")], reached: 3 },
    { name: "a dry run", escalations: [escalation(1, "DryRun")], reached: 0 },
  ])("is the highest level sent: $name gives $reached", ({ escalations, reached }) => {
    expect(escalationLevelReached(escalations === undefined ? {} : { escalations })).toBe(reached);
  });
});

describe("newlySettledEscalations", () => {
  it("lists the levels that got their outcome between two statuses, once", () => {
    const before = { escalations: [escalation(1, "Sent"), escalation(2, "Pending")] };
    const after = { escalations: [escalation(1, "Sent"), escalation(2, "Failed"), escalation(3, "DryRun")] };
    expect(newlySettledEscalations(before, after).map((settled) => [settled.level, settled.outcome])).toEqual([[2, "Failed"], [3, "DryRun"]]);
    expect(newlySettledEscalations(after, after)).toEqual([]);
    expect(newlySettledEscalations(undefined, { escalations: [escalation(1, "Pending")] })).toEqual([]);
  });
});
