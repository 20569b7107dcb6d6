import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";
import type { Incident, IncidentEscalation, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import { callConnectorFor } from "../../steps/connector/call-connector.ts";
import type { EffectDeps } from "../../steps/effect-execution.ts";
import { escalationCandidates, recordedLevelOf, selectEscalationPolicy } from "./escalation-policy.ts";
import { planEscalation, type EscalationCall } from "./escalation-plan.ts";
import { escalationCallSettled, type SettledEscalation } from "./escalation-record.ts";
import type { SideEffectRef, StepHooks } from "./execute.ts";
import type { PlaybookLookup } from "./triage.ts";

/** What the escalate sub-step reads and calls through. */
export interface EscalateInput {
  /** The Incident as persisted. */
  readonly incident: Incident;
  readonly now: Date;
  /** False while the operator is paused or the Incident is resolved or closed: no new level is recorded. */
  readonly mayStart: boolean;
  readonly playbooks: PlaybookLookup;
  readonly compiler: PlaybookCompiler;
  readonly operatorDryRun: boolean;
  /** The intent ledger's fresh intents of this Incident. */
  readonly freshIntents: ReadonlySet<string>;
  /** Step 4 of the intent protocol: the calls about to be made stop being fresh. */
  readonly take: (calls: readonly EscalationCall[]) => readonly EscalationCall[];
  /** Outcomes of calls made whose status write was lost, by intent id; `remember` adds one after each call. */
  readonly unrecorded: ReadonlyMap<string, SettledEscalation>;
  readonly remember: (id: string, outcome: SettledEscalation) => void;
  /** What connector calls need (read only when a call is made). */
  readonly calls: EffectDeps;
  readonly hooks: StepHooks | undefined;
}

/** The Incident's escalations after this pass, what happened, and when a level falls due next. */
export interface EscalateResult {
  readonly escalations: readonly IncidentEscalation[];
  readonly events: readonly TimelineEvent[];
  readonly recheckAfterMs: number | undefined;
}

function sideEffectRef(incident: Incident, call: EscalationCall): SideEffectRef {
  return {
    namespace: incident.metadata.namespace ?? "",
    incident: incident.metadata.name ?? "",
    playbook: call.escalation.playbook,
    step: `escalation/${call.escalation.level}`,
    attempt: 1,
    name: call.intentId,
  };
}

/**
 * Escalate: finds the escalation that applies to the Incident (`escalationCandidates`, then
 * `selectEscalationPolicy`), plans it (`planEscalation`: levels due are recorded before any
 * call), and makes the calls of the levels whose record is durable and fresh through the same
 * connector-call path as notify steps (`callConnectorFor`: tenancy check, Secrets at call time,
 * the Connector's retries and destination policy, redacted answers), each with its level's
 * Idempotency-Key. The test hooks run around each call as around a step's side effect, with
 * step `escalation/<level>`. A failed call is a value, recorded; nothing here throws for it.
 */
export async function escalate(input: EscalateInput): Promise<EscalateResult> {
  const { incident, now } = input;
  const candidates = escalationCandidates(incident, input.playbooks, input.compiler);
  const plan = planEscalation({
    incident,
    policy: selectEscalationPolicy(candidates, incident.spec.severity),
    recordedLevel: recordedLevelOf(incident, input.playbooks, input.compiler),
    now,
    mayStart: input.mayStart,
    operatorDryRun: input.operatorDryRun,
    freshIntents: input.freshIntents,
    unrecorded: input.unrecorded,
  });
  const byLevel = new Map(plan.escalations.map((escalation) => [escalation.level, escalation]));
  const events = [...plan.events];
  for (const call of input.take(plan.calls)) {
    const ref = sideEffectRef(incident, call);
    await input.hooks?.beforeSideEffect?.(ref);
    const outcome = await callConnectorFor(call, incident, input.calls);
    await input.hooks?.afterSideEffect?.(ref);
    const result = escalationCallSettled(call.escalation, call.level.after, outcome, now);
    input.remember(call.intentId, result);
    input.calls.logger.info(
      { incident: ref.incident, playbook: ref.playbook, level: call.escalation.level, connector: call.connector, ok: outcome.ok, reason: outcome.ok ? undefined : outcome.reason },
      "escalation call finished",
    );
    byLevel.set(call.escalation.level, result.escalation);
    if (result.event !== undefined) events.push(result.event);
  }
  return { escalations: [...byLevel.values()].sort((a, b) => a.level - b.level), events, recheckAfterMs: plan.recheckAfterMs };
}

/**
 * The ids of the Pending escalations `after` records and `before` did not: the intents a stored
 * status write made durable, for the intent ledger (step 2 of its protocol).
 */
export function newEscalationIntents(before: Pick<IncidentStatus, "escalations"> | undefined, after: Pick<IncidentStatus, "escalations">): string[] {
  const known = new Set((before?.escalations ?? []).map((escalation) => escalation.id));
  return (after.escalations ?? []).filter((escalation) => escalation.outcome === "Pending" && !known.has(escalation.id)).map((escalation) => escalation.id);
}
