import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { isAcknowledged, type HumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident, IncidentPhase, IncidentStatus, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { mergeConditions } from "../conditions.ts";
import { jsonEqual } from "../deep-equal.ts";
import { summarizeIncident, type PlaybookWait } from "./condition-summary.ts";
import { appendTimeline, timelineEntry, type TimelineEvent } from "../../api/v1alpha1/timeline.ts";

/** Everything the summary of one reconcile is made of. */
export interface CloseInput {
  /** The Incident as read at the start of the reconcile. */
  readonly incident: Incident;
  readonly runs: readonly PlaybookRun[];
  /** What happened during this reconcile, in order; each becomes a timeline entry. */
  readonly events: readonly TimelineEvent[];
  readonly finalState: HumanClosedState | undefined;
  readonly mayStart: boolean;
  readonly waits: readonly PlaybookWait[];
  readonly now: Date;
}

/** The status to write and whether it differs from the one read. */
export interface CloseResult {
  readonly status: IncidentStatus;
  readonly changed: boolean;
}

function firstActionTaken(runs: readonly PlaybookRun[]): boolean {
  return runs.some(
    (run) => run.dryRun !== true && (run.steps ?? []).some((step) => step.job !== undefined || (step.intent !== undefined && step.phase === "Succeeded")),
  );
}

/**
 * Whether this write is the one that records a person taking the Incident on: first seen
 * acknowledged while neither a person nor the automation has resolved it. An Incident resolved
 * before `acknowledgedAt` existed never gets one afterwards.
 */
function acknowledgedNow(incident: Incident): boolean {
  const current = incident.status ?? {};
  return current.acknowledgedAt === undefined && current.resolvedAt === undefined && current.automationResolvedAt === undefined && isAcknowledged(incident);
}

/**
 * Whether this write is the one in which the automation alone resolves the Incident: it makes
 * the phase Succeeded (every run finished, none failed), a response action was taken, and no
 * person has taken the Incident on or decided an approval.
 */
function resolvedByAutomationNow(incident: Incident, phase: IncidentPhase, respondedAt: string | undefined): boolean {
  const current = incident.status ?? {};
  return (
    current.automationResolvedAt === undefined &&
    current.resolvedAt === undefined &&
    current.phase !== "Succeeded" &&
    phase === "Succeeded" &&
    respondedAt !== undefined &&
    !isAcknowledged(incident) &&
    (incident.spec.approvals ?? []).length === 0
  );
}

/**
 * Close: computes the whole status of the Incident once, from the runs and events of this
 * reconcile. Intake's fields (occurrences, first/last seen, recent events, alert status,
 * observables) are kept as read, or filled from the opening occurrence (`spec.opening`) when
 * intake opened the Incident and no status records them yet. The phase and the Ready, Reconciling, Stalled and
 * AwaitingApproval conditions come from `summarizeIncident` (transition times kept when a
 * status does not change); events are appended to the bounded timeline; `respondedAt` is set
 * the first time a step of a real (not dry) run has a Job or a carried-out action or call,
 * `resolvedAt` the first time a person resolved or closed the Incident, `acknowledgedAt` the
 * first time it is seen taken on before it was resolved, `automationResolvedAt` when the
 * automation alone resolved it (each written once); `observedGeneration` is the generation read. `changed` is false when the result equals the status read, so an
 * idle reconcile writes nothing.
 */
export function close(input: CloseInput): CloseResult {
  const current = input.incident.status ?? {};
  const summary = summarizeIncident({ finalState: input.finalState, mayStart: input.mayStart, runs: input.runs, waits: input.waits });
  const generation = input.incident.metadata.generation;
  const now = input.now.toISOString();
  const respondedAt = current.respondedAt ?? (firstActionTaken(input.runs) ? now : undefined);
  const status: IncidentStatus = {
    ...occurrenceStatus(input.incident),
    phase: summary.phase,
    playbooks: [...input.runs],
    conditions: mergeConditions(current.conditions, summary.conditions, generation, input.now),
    ...(input.events.length === 0 ? {} : { timeline: appendTimeline(current.timeline, input.events.map((event) => timelineEntry(event, input.now))) }),
    ...(current.respondedAt === undefined && respondedAt !== undefined ? { respondedAt } : {}),
    ...(acknowledgedNow(input.incident) ? { acknowledgedAt: now } : {}),
    ...(current.resolvedAt === undefined && input.finalState !== undefined ? { resolvedAt: now } : {}),
    ...(resolvedByAutomationNow(input.incident, summary.phase, respondedAt) ? { automationResolvedAt: now } : {}),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  return { status, changed: !jsonEqual(status, current) };
}
