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

/**
 * Whether a step waits for a person's decision: an approval step is Waiting without an intent
 * (a step Waiting with an intent waits to retry its side effect).
 */
export function isAwaitingDecision(step: Pick<StepState, "phase" | "intent">): boolean {
  return step.phase === "Waiting" && step.intent === undefined;
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

/**
 * Whether someone took the Incident on: `spec.state` Acknowledged, Resolved or Closed, or a
 * non-blank `spec.assignee`. No escalation level fires for an acknowledged Incident.
 */
export function isAcknowledged(incident: Incident): boolean {
  const state = incident.spec.state;
  return state === "Acknowledged" || isHumanClosedState(state) || (incident.spec.assignee ?? "").trim() !== "";
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
