import { isAcknowledged } from "../../api/v1alpha1/lifecycle.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";
import type { Incident, IncidentEscalation } from "../../api/v1alpha1/types.generated.ts";
import { escalationIdempotencyKey, type ConnectorPayload } from "../../connectors/index.ts";
import { joinRendered, renderTemplateText, type RenderedText } from "../../expr/index.ts";
import type { CompiledEscalationLevel } from "../../playbook/index.ts";
import type { IncidentConnectorCall } from "../../steps/connector/call-connector.ts";
import { eventVariable, incidentVariable } from "../../steps/step-variables.ts";
import { dueEscalationLevels } from "./escalation-due.ts";
import type { EscalationPolicy } from "./escalation-policy.ts";
import { escalationEvent, settled, type SettledEscalation } from "./escalation-record.ts";

/** What planning an Incident's escalation reads; no I/O happens while planning. */
export interface EscalationPlanInput {
  /** The Incident as persisted: a Pending escalation there is durable. */
  readonly incident: Incident;
  /** The escalation that applies (see `selectEscalationPolicy`); undefined when none does. */
  readonly policy: EscalationPolicy | undefined;
  /** A level as its Playbook declares it now (see `recordedLevelOf`), for the Pending ones. */
  readonly recordedLevel: (playbook: string, level: number) => CompiledEscalationLevel | undefined;
  readonly now: Date;
  /** False while the operator is paused or the Incident is resolved or closed: no new level is recorded. */
  readonly mayStart: boolean;
  readonly operatorDryRun: boolean;
  /** The intent ledger's fresh intents of this Incident (see `steps/intent-ledger.ts`). */
  readonly freshIntents: ReadonlySet<string>;
  /** Outcomes of calls this process made that no status write stored yet, by intent id (see `UnrecordedEscalations`). */
  readonly unrecorded: ReadonlyMap<string, SettledEscalation>;
}

/** A level's Connector call whose Pending escalation is durable and fresh: to be carried out now. */
export interface EscalationCall extends IncidentConnectorCall {
  readonly escalation: IncidentEscalation;
  readonly level: CompiledEscalationLevel;
}

/** The escalations as planned, the calls to make, what happened, and when to look again. */
export interface EscalationPlan {
  /** Every escalation by level; the calls' ones still Pending. */
  readonly escalations: readonly IncidentEscalation[];
  readonly calls: readonly EscalationCall[];
  readonly events: readonly TimelineEvent[];
  /** Until the next level falls due; undefined when none will (or none may start). */
  readonly recheckAfterMs: number | undefined;
}

/** When the Incident was opened: its creation by the API server (a time no alert can forge). */
export function incidentOpenedAt(incident: Incident): Date | undefined {
  const created = incident.metadata.creationTimestamp;
  if (created === undefined) return undefined;
  const at = new Date(created);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function renderMessage(level: CompiledEscalationLevel, incident: Incident): { ok: true; message: RenderedText } | { ok: false; message: string } {
  const rendered = renderTemplateText(level.message, { event: eventVariable(incident), incident: incidentVariable(incident) });
  if (!rendered.ok) return { ok: false, message: `spec.escalation.levels[${level.level - 1}].message: ${rendered.message}` };
  return { ok: true, message: rendered.value };
}

/** A Pending escalation read from status: carried out when fresh, otherwise settled without a call. */
function advancePending(input: EscalationPlanInput, pending: IncidentEscalation): SettledEscalation | EscalationCall {
  const { now } = input;
  const made = input.unrecorded.get(pending.id);
  if (made !== undefined) return made;
  if (isAcknowledged(input.incident)) {
    return { escalation: settled(pending, "Cancelled", now, "not sent: the Incident was acknowledged first"), event: undefined };
  }
  if (!input.freshIntents.has(pending.id)) {
    const detail = `the outcome of the call of Connector ${pending.connector} is unknown (the operator stopped after recording it); it is not sent again`;
    const unknown = settled(pending, "Unknown", now, detail);
    return { escalation: unknown, event: escalationEvent(unknown, "Warning", IncidentReason.EscalationFailed, detail) };
  }
  const level = input.recordedLevel(pending.playbook, pending.level);
  if (level === undefined) {
    const detail = `Playbook ${pending.playbook} no longer declares this level; nothing was sent`;
    const failed = settled(pending, "Failed", now, detail, Reason.PlaybookChanged);
    return { escalation: failed, event: escalationEvent(failed, "Warning", IncidentReason.EscalationFailed, detail) };
  }
  const message = renderMessage(level, input.incident);
  if (!message.ok) {
    const detail = `the message could not be rendered: ${message.message}; nothing was sent`;
    const failed = settled(pending, "Failed", now, detail, Reason.InvalidRequest);
    return { escalation: failed, event: escalationEvent(failed, "Warning", IncidentReason.EscalationFailed, detail) };
  }
  const payload: ConnectorPayload = { kind: "message", message: message.message, rawMarkup: level.rawMarkup };
  return { escalation: pending, level, connector: pending.connector, intentId: pending.id, payload };
}

/** A level that fell due: its intent, or (dry run) its rendered message and nothing sent. */
function recordDue(input: EscalationPlanInput, policy: EscalationPolicy, level: CompiledEscalationLevel): SettledEscalation {
  const intent: IncidentEscalation = {
    level: level.level,
    playbook: policy.playbook,
    connector: level.connector,
    id: escalationIdempotencyKey({ incidentUid: input.incident.metadata.uid ?? "", level: level.level }),
    at: input.now.toISOString(),
    outcome: "Pending",
  };
  if (!policy.dryRun && !input.operatorDryRun) return { escalation: intent, event: undefined };
  const message = renderMessage(level, input.incident);
  const text = message.ok ? joinRendered(message.message) : `the message could not be rendered: ${message.message}`;
  const detail = `not acknowledged after ${level.after}: dry run, Connector ${level.connector} was not called; message: ${text}`;
  const dry = settled(intent, "DryRun", input.now, detail);
  return { escalation: dry, event: escalationEvent(dry, "Normal", IncidentReason.DryRun, detail) };
}

/**
 * Plans an Incident's escalation, as a pure function, following the intent protocol of steps
 * (`steps/intent-ledger.ts`):
 * - a Pending escalation (durable, since it is read from status) whose call this process made
 *   gets that call's outcome (its write was lost); otherwise it is cancelled when the Incident
 *   was acknowledged meanwhile, carried out when its intent is fresh (this process recorded it
 *   and nothing carried it out), or else it may have been sent before a restart and becomes
 *   Unknown, never sent again;
 * - while new levels may start, each level due (see `dueEscalationLevels`) is recorded as
 *   Pending and nothing else: its call waits for that record to be durable. In a dry run it is
 *   rendered and recorded as DryRun instead;
 * - the recheck is the time until the next level falls due.
 * Escalations are kept by level; each settled one adds a timeline entry, except a cancelled one.
 */
export function planEscalation(input: EscalationPlanInput): EscalationPlan {
  const byLevel = new Map<number, IncidentEscalation>();
  const calls: EscalationCall[] = [];
  const events: TimelineEvent[] = [];
  for (const escalation of input.incident.status?.escalations ?? []) {
    if (escalation.outcome !== "Pending") {
      byLevel.set(escalation.level, escalation);
      continue;
    }
    const advanced = advancePending(input, escalation);
    byLevel.set(escalation.level, advanced.escalation);
    if ("intentId" in advanced) calls.push(advanced);
    else if (advanced.event !== undefined) events.push(advanced.event);
  }
  let recheckAfterMs: number | undefined;
  const { policy } = input;
  if (policy !== undefined && input.mayStart) {
    const due = dueEscalationLevels({
      openedAt: incidentOpenedAt(input.incident),
      acknowledged: isAcknowledged(input.incident),
      levels: policy.levels,
      recorded: new Set(byLevel.keys()),
      now: input.now,
    });
    for (const level of due.due) {
      const recorded = recordDue(input, policy, level);
      byLevel.set(level.level, recorded.escalation);
      if (recorded.event !== undefined) events.push(recorded.event);
    }
    recheckAfterMs = due.nextInMs === undefined ? undefined : Math.max(1, Math.ceil(due.nextInMs));
  }
  const escalations = [...byLevel.values()].sort((a, b) => a.level - b.level);
  return { escalations, calls, events, recheckAfterMs };
}
