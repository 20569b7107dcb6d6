import { boundText, MAX_MESSAGE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import type { StepState } from "../../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../../playbook/index.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import { dryRunRendered } from "../dry-run.ts";
import type { PlanContext } from "../plan-context.ts";
import { renderStepTemplates } from "../render-templates.ts";
import type { StepKindDefinition } from "../step-kind.ts";
import { decideApproval } from "./approval-decision.ts";

/**
 * The step still waiting, with why a recorded approval of it is not honoured: the message and a
 * Warning once, when the step's message changes to it.
 */
function approvalNotHonoured(plan: PlanContext, step: CompiledStep, state: StepState, why: string): StepState {
  const message = boundText(`waiting for approval: a recorded decision is not honoured: ${why}`, MAX_MESSAGE_LENGTH);
  if (state.message === message) return state;
  plan.event("Warning", Reason.TenancyUnverified, step.name, message);
  return { ...state, message };
}

function advanceApproval(plan: PlanContext, step: CompiledStep, state: StepState): StepState {
  const { approvals: verdict } = plan.input;
  const recorded = plan.input.incident.spec.approvals;
  const outcome = decideApproval({
    approvals: verdict.verified ? recorded : undefined,
    playbook: plan.runName,
    step: step.name,
    waitingSince: state.startedAt === undefined ? plan.now : new Date(state.startedAt),
    timeoutMs: step.approvalTimeoutMs ?? step.timeoutMs,
    onTimeout: step.spec.approval?.onTimeout,
    now: plan.now,
  });
  if (outcome.kind === "waiting") {
    if (outcome.recheckAfterMs !== undefined) plan.recheck(outcome.recheckAfterMs);
    const ignored = !verdict.verified && (recorded ?? []).some((approval) => approval.playbook === plan.runName && approval.step === step.name);
    return ignored ? approvalNotHonoured(plan, step, state, verdict.message) : state;
  }
  const { decision } = outcome;
  const who = decision.timedOut === true ? "on timeout" : `by ${decision.by ?? "unknown"}`;
  const why = outcome.reason === undefined || outcome.reason === "" ? "" : `: ${outcome.reason}`;
  const approved = decision.decision === "approve";
  const message = `${approved ? "approved" : "rejected"} ${who}${why}`;
  const reason = decision.timedOut === true ? IncidentReason.ApprovalTimedOut : approved ? IncidentReason.Approved : IncidentReason.Rejected;
  plan.event(approved ? "Normal" : "Warning", reason, step.name, message);
  return { ...plan.finished(state, approved ? "Succeeded" : "Failed", message), decision };
}

function startApproval(plan: PlanContext, step: CompiledStep, state: StepState): StepState {
  const rendered = renderStepTemplates(step, plan.variables());
  if (!rendered.ok) {
    return plan.failed(step, { ...state, startedAt: plan.now.toISOString() }, `approval message could not be rendered: ${rendered.field}: ${rendered.message}`);
  }
  const question = rendered.values.get("approval.message") ?? "approve this step?";
  const waiting: StepState = {
    ...state,
    phase: "Waiting",
    attempts: 1,
    startedAt: plan.now.toISOString(),
    message: boundText(`waiting for approval: ${question}`, MAX_MESSAGE_LENGTH),
  };
  plan.event("Normal", IncidentReason.ApprovalPending, step.name, waiting.message ?? "");
  return advanceApproval(plan, step, waiting);
}

/**
 * Approval steps: wait for the Incident's `spec.approvals` or the timeout (see
 * `decideApproval`); approval succeeds the step, rejection fails it. Approvals the tenancy
 * policy did not vouch for (see `verifyApprovals`) are not honoured: the step keeps waiting
 * (its timeout still applies) and says why, with a TenancyUnverified Warning. No side effect;
 * an approval step is never Running.
 */
export const approvalStep: StepKindDefinition = {
  guarded: false,
  start: startApproval,
  advanceRunning: (_plan, _step, state) => state,
  advanceWaiting: advanceApproval,
  dryRun: dryRunRendered,
};
