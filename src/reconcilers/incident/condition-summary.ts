import { ConditionType } from "../../api/v1alpha1/constants.ts";
import { isAwaitingDecision, isRunFinished, type HumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import type { ConditionStatus, IncidentPhase, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import type { DesiredCondition } from "../conditions.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";

/** A run that has not started because its Playbook is not Ready. */
export interface PlaybookWait {
  readonly playbook: string;
  /** True when the Playbook was processed and found invalid: only its spec can fix it. */
  readonly stalled: boolean;
  readonly message: string;
}

/** What the summary is computed from. */
export interface SummaryInput {
  /** Set when a person resolved or closed the Incident. */
  readonly finalState: HumanClosedState | undefined;
  /** False while the operator is paused. */
  readonly mayStart: boolean;
  readonly runs: readonly PlaybookRun[];
  readonly waits: readonly PlaybookWait[];
}

/** The Incident's phase and its four standard conditions. */
export interface IncidentSummary {
  readonly phase: IncidentPhase;
  readonly conditions: readonly DesiredCondition[];
}

function condition(type: string, status: ConditionStatus, reason: string, message: string): DesiredCondition {
  return { type, status, reason, message };
}

function pendingApprovals(runs: readonly PlaybookRun[]): string[] {
  return runs.flatMap((run) =>
    run.phase === "AwaitingApproval" || run.phase === "Running"
      ? (run.steps ?? [])
          .filter(isAwaitingDecision)
          .map((step) => `${run.name}/${step.name}: ${step.message ?? "waiting for approval"}`)
      : [],
  );
}

function phaseOf(runs: readonly PlaybookRun[]): IncidentPhase {
  const open = runs.filter((run) => !isRunFinished(run));
  if (open.length === 0) return runs.some((run) => run.phase === "Failed") ? "Failed" : "Succeeded";
  if (open.every((run) => run.phase === "Pending") && open.length === runs.length) return "Pending";
  if (open.some((run) => run.phase === "AwaitingApproval") && !open.some((run) => run.phase === "Running")) {
    return "AwaitingApproval";
  }
  return "Running";
}

interface ReadyState {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

function readyOf(input: SummaryInput, phase: IncidentPhase, approvals: readonly string[]): ReadyState {
  const failed = input.runs.filter((run) => run.phase === "Failed");
  if (failed.length > 0) {
    return {
      status: "False",
      reason: IncidentReason.RunFailed,
      message: failed.map((run) => `playbook ${run.name}: ${run.message ?? "failed"}`).join("; "),
    };
  }
  const stalled = input.waits.filter((wait) => wait.stalled);
  if (stalled.length > 0) {
    return { status: "False", reason: IncidentReason.PlaybookNotReady, message: stalled.map((wait) => wait.message).join("; ") };
  }
  if (phase === "Succeeded") {
    return input.runs.length === 0
      ? { status: "True", reason: IncidentReason.NoPlaybooks, message: "no playbook matched this Incident; nothing to run" }
      : { status: "True", reason: IncidentReason.RunsSucceeded, message: `${input.runs.length} playbook run(s) finished` };
  }
  if (!input.mayStart) return { status: "Unknown", reason: IncidentReason.Paused, message: "the operator is paused: no new step starts" };
  if (phase === "AwaitingApproval") return { status: "Unknown", reason: IncidentReason.ApprovalPending, message: approvals.join("; ") };
  if (input.waits.length > 0) {
    return { status: "Unknown", reason: IncidentReason.PlaybookNotReady, message: input.waits.map((wait) => wait.message).join("; ") };
  }
  const open = input.runs.filter((run) => !isRunFinished(run)).map((run) => run.name);
  return { status: "Unknown", reason: IncidentReason.Progressing, message: `running playbook(s): ${open.join(", ")}` };
}

/**
 * Summarises an Incident as a pure function of its runs, its human state, the pause switch and
 * the Playbooks it waits for:
 * - phase: Resolved/Closed as set by a person; otherwise Pending (no run started), Running,
 *   AwaitingApproval (open runs only wait for approvals), Failed (a run failed) or Succeeded;
 * - Ready: True when resolved/closed or every run finished without failure; False when a run
 *   failed (RunFailed) or a Playbook is invalid (PlaybookNotReady); Unknown while work is in
 *   progress (Progressing, ApprovalPending, Paused, PlaybookNotReady before it was processed);
 * - Reconciling: True while any run is open and not stalled; Stalled: True while a run waits on
 *   an invalid Playbook; AwaitingApproval: True while an approval step waits.
 * Conditions that are not True carry Ready's reason.
 */
export function summarizeIncident(input: SummaryInput): IncidentSummary {
  if (input.finalState !== undefined) {
    const reason = input.finalState === "Resolved" ? IncidentReason.Resolved : IncidentReason.Closed;
    const message = `the Incident was ${input.finalState.toLowerCase()}; no new step starts`;
    return {
      phase: input.finalState,
      conditions: [
        condition(ConditionType.Ready, "True", reason, message),
        condition(ConditionType.Reconciling, "False", reason, message),
        condition(ConditionType.Stalled, "False", reason, message),
        condition(ConditionType.AwaitingApproval, "False", reason, message),
      ],
    };
  }
  const phase = phaseOf(input.runs);
  const approvals = pendingApprovals(input.runs);
  const ready = readyOf(input, phase, approvals);
  const stalled = input.waits.filter((wait) => wait.stalled);
  const openRuns = input.runs.filter((run) => !isRunFinished(run));
  const progressing = openRuns.some((run) => run.phase !== "Pending") || input.waits.some((wait) => !wait.stalled);
  const reconcilingReason = !input.mayStart ? IncidentReason.Paused : approvals.length > 0 && phase === "AwaitingApproval" ? IncidentReason.ApprovalPending : IncidentReason.Progressing;
  return {
    phase,
    conditions: [
      condition(ConditionType.Ready, ready.status, ready.reason, ready.message),
      progressing
        ? condition(ConditionType.Reconciling, "True", reconcilingReason, ready.message)
        : condition(ConditionType.Reconciling, "False", ready.reason, ready.message),
      stalled.length > 0
        ? condition(ConditionType.Stalled, "True", IncidentReason.PlaybookNotReady, stalled.map((wait) => wait.message).join("; "))
        : condition(ConditionType.Stalled, "False", ready.reason, ready.message),
      approvals.length > 0
        ? condition(ConditionType.AwaitingApproval, "True", IncidentReason.ApprovalPending, approvals.join("; "))
        : condition(ConditionType.AwaitingApproval, "False", ready.reason, ready.message),
    ],
  };
}
