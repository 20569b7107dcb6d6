import { boundText, MAX_MESSAGE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";
import type { EscalationOutcome, IncidentEscalation } from "../../api/v1alpha1/types.generated.ts";
import type { EffectOutcome } from "../../steps/step-effects.ts";

/** An escalation with its final outcome and the timeline entry that tells it (none for a cancelled one). */
export interface SettledEscalation {
  readonly escalation: IncidentEscalation;
  readonly event: TimelineEvent | undefined;
}

/** `escalation` ended now in `outcome`, with `message` (bounded) and, for a failure, its reason. */
export function settled(escalation: IncidentEscalation, outcome: Exclude<EscalationOutcome, "Pending">, now: Date, message: string, reason?: string): IncidentEscalation {
  return {
    ...escalation,
    outcome,
    finishedAt: now.toISOString(),
    message: boundText(message, MAX_MESSAGE_LENGTH),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** The timeline entry (and Event) of an escalation: `level <n>: <detail>`, about its Playbook. */
export function escalationEvent(escalation: IncidentEscalation, type: TimelineEvent["type"], reason: string, detail: string): TimelineEvent {
  return { type, reason, message: `level ${escalation.level}: ${detail}`, playbook: escalation.playbook };
}

/**
 * How a level's Connector call ended, recorded: Sent with reason Escalated when the Connector
 * accepted it, otherwise Failed with reason EscalationFailed and the call's failure reason. A
 * failed level is not attempted again (the Connector's own retries ran inside the call); the
 * next level still falls due on time.
 */
export function escalationCallSettled(escalation: IncidentEscalation, after: string, outcome: EffectOutcome, now: Date): SettledEscalation {
  const why = `not acknowledged after ${after}`;
  if (outcome.ok) {
    const sent = settled(escalation, "Sent", now, outcome.message);
    return { escalation: sent, event: escalationEvent(sent, "Normal", IncidentReason.Escalated, `${why}: ${outcome.message}`) };
  }
  const detail = `the call of Connector ${escalation.connector} failed (${outcome.reason}): ${outcome.message}`;
  const failed = settled(escalation, "Failed", now, detail, outcome.reason);
  return { escalation: failed, event: escalationEvent(failed, "Warning", IncidentReason.EscalationFailed, `${why}: ${detail}`) };
}
