import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { awaitedDecisions, type HumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident, IncidentStatus, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
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
 * Close: computes the whole status of the Incident once, from the runs and events of this
 * reconcile. Intake's fields (occurrences, first/last seen, recent events, alert status,
 * observables) are kept as read, or filled from the opening occurrence (`spec.opening`) when
 * intake opened the Incident and no status records them yet. The phase and the Ready, Reconciling, Stalled and
 * AwaitingApproval conditions come from `summarizeIncident` (transition times kept when a
 * status does not change); events are appended to the bounded timeline; `respondedAt` is set
 * the first time a step of a real (not dry) run has a Job or a carried-out action or call,
 * `resolvedAt` the first time a person resolved or closed the Incident; `observedGeneration`
 * is the generation read; `waitingApprovals` counts the approval steps waiting for a decision
 * (none once a person resolved or closed it). `changed` is false when the result equals the status read, so an
 * idle reconcile writes nothing.
 */
export function close(input: CloseInput): CloseResult {
  const current = input.incident.status ?? {};
  const summary = summarizeIncident({ finalState: input.finalState, mayStart: input.mayStart, runs: input.runs, waits: input.waits });
  const generation = input.incident.metadata.generation;
  const now = input.now.toISOString();
  const status: IncidentStatus = {
    ...occurrenceStatus(input.incident),
    phase: summary.phase,
    playbooks: [...input.runs],
    waitingApprovals: input.finalState === undefined ? awaitedDecisions(input.runs).length : 0,
    conditions: mergeConditions(current.conditions, summary.conditions, generation, input.now),
    ...(input.events.length === 0 ? {} : { timeline: appendTimeline(current.timeline, input.events.map((event) => timelineEntry(event, input.now))) }),
    ...(current.respondedAt === undefined && firstActionTaken(input.runs) ? { respondedAt: now } : {}),
    ...(current.resolvedAt === undefined && input.finalState !== undefined ? { resolvedAt: now } : {}),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  return { status, changed: !jsonEqual(status, current) };
}
