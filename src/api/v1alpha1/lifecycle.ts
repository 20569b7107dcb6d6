import type { Incident, IncidentState, PlaybookRun, PlaybookRunPhase, StepPhase, StepState } from "./types.generated.ts";

// The lifecycle predicates of Incidents, their runs and their steps: every reader of these
// facts (the reconcilers, the run-start limits, the Playbook's status, the metrics, intake)
// asks here, so that "finished", "closed" and "active" mean one thing everywhere.

const FINISHED_RUN_PHASES: ReadonlySet<PlaybookRunPhase> = new Set(["Succeeded", "Failed", "Skipped"]);
const IN_PROGRESS_RUN_PHASES: ReadonlySet<PlaybookRunPhase> = new Set(["Running", "AwaitingApproval"]);
const TERMINAL_STEP_PHASES: ReadonlySet<StepPhase> = new Set(["Succeeded", "Failed", "Skipped", "TimedOut", "Blocked"]);

/** The states in which a person has resolved or closed an Incident. */
export type HumanClosedState = Extract<IncidentState, "Resolved" | "Closed">;

/** Whether a run reached a final phase (Succeeded, Failed or Skipped): it never changes again. */
export function isRunFinished(run: Pick<PlaybookRun, "phase">): boolean {
  return FINISHED_RUN_PHASES.has(run.phase);
}

/**
 * Whether a run has started and not finished (Running or AwaitingApproval). A Pending run has
 * not started: it waits for its Playbook to become Ready.
 */
export function isRunInProgress(run: Pick<PlaybookRun, "phase">): boolean {
  return IN_PROGRESS_RUN_PHASES.has(run.phase);
}

/** Whether a step will never run again (Succeeded, Failed, Skipped, TimedOut or Blocked). */
export function isStepTerminal(step: Pick<StepState, "phase">): boolean {
  return TERMINAL_STEP_PHASES.has(step.phase);
}

/** Whether `state` (a `spec.state`, or a `status.phase` that mirrors it) is Resolved or Closed. */
export function isHumanClosedState(state: string | undefined): state is HumanClosedState {
  return state === "Resolved" || state === "Closed";
}

/**
 * Whether a person resolved or closed the Incident (`spec.state` Resolved or Closed): no new
 * step of it starts, and its runs stay as they were.
 */
export function isHumanClosed(incident: Incident): boolean {
  return isHumanClosedState(incident.spec.state);
}

/** The Incident's run of Playbook `playbook`, if it has one. */
export function runOf(incident: Incident, playbook: string): PlaybookRun | undefined {
  return incident.status?.playbooks?.find((run) => run.name === playbook);
}

/**
 * The one definition of an active Incident, for Playbook `playbook`: its run of that Playbook
 * has started and not finished ({@link isRunInProgress}), and no person resolved or closed it
 * (a closed Incident starts no step, so its unfinished run does nothing). Dry runs count like
 * any other. The `maxActiveIncidents` cap, `Playbook.status.activeIncidents` and the
 * `soar_active_incidents` metric all count this.
 */
export function isActiveFor(incident: Incident, playbook: string): boolean {
  if (isHumanClosed(incident)) return false;
  const run = runOf(incident, playbook);
  return run !== undefined && isRunInProgress(run);
}

/** Whether the Incident is active ({@link isActiveFor}) for any of its runs' Playbooks. */
export function isActive(incident: Incident): boolean {
  return !isHumanClosed(incident) && (incident.status?.playbooks ?? []).some(isRunInProgress);
}

/** A step of a run that waits for a person to approve or reject it. */
export interface AwaitedDecision {
  readonly run: PlaybookRun;
  readonly step: StepState;
}

/**
 * The steps waiting for a person's decision: approval steps Waiting (a step waiting to retry has
 * the intent of its last attempt; an approval step never has one) in runs that are Running or
 * AwaitingApproval, in status order. `spec.approvals` decides them; `status.waitingApprovals`
 * counts them.
 */
export function awaitedDecisions(runs: readonly PlaybookRun[]): AwaitedDecision[] {
  return runs.flatMap((run) =>
    isRunInProgress(run) ? (run.steps ?? []).filter((step) => step.phase === "Waiting" && step.intent === undefined).map((step) => ({ run, step })) : [],
  );
}
