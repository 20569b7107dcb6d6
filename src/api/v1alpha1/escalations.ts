import type { IncidentEscalation, IncidentStatus } from "./types.generated.ts";

// What an Incident's recorded escalations say, for every reader of `status.escalations`: the
// metrics, Events and lifecycle notifications derive "the Incident escalated" from here.

/** Whether an escalation level has its final outcome (anything but Pending). */
export function isEscalationSettled(escalation: Pick<IncidentEscalation, "outcome">): boolean {
  return escalation.outcome !== "Pending";
}

/**
 * The highest level whose Connector accepted the call (outcome Sent); 0 when none did. It only
 * rises: a recorded level is never removed nor sent again.
 */
export function escalationLevelReached(status: Pick<IncidentStatus, "escalations"> | undefined): number {
  return (status?.escalations ?? []).reduce((highest, escalation) => (escalation.outcome === "Sent" ? Math.max(highest, escalation.level) : highest), 0);
}

/**
 * The levels that `after` records with a final outcome and `before` did not (absent or Pending
 * there), in level order: each is one escalation that ended between two statuses, so counting
 * them on every stored status write counts each escalation once.
 */
export function newlySettledEscalations(
  before: Pick<IncidentStatus, "escalations"> | undefined,
  after: Pick<IncidentStatus, "escalations">,
): IncidentEscalation[] {
  const settledBefore = new Set((before?.escalations ?? []).filter(isEscalationSettled).map((escalation) => escalation.level));
  return (after.escalations ?? []).filter((escalation) => isEscalationSettled(escalation) && !settledBefore.has(escalation.level)).sort((a, b) => a.level - b.level);
}
