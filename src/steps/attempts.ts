import { formatDuration } from "../api/duration.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";
import type { StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../playbook/index.ts";
import { IncidentReason } from "../api/v1alpha1/incident-reasons.ts";
import type { PlanContext } from "./plan-context.ts";
import { mayRetry, retryDelayMs } from "./retry-policy.ts";

/** Starts attempt `attempt` of a step (records its intent, or fails the step). */
export type StartAttempt = (plan: PlanContext, step: CompiledStep, state: StepState, attempt: number) => StepState;

/** A step state without what belongs to a finished attempt (end time, Job, outputs). */
export function withoutAttemptResults(state: StepState): StepState {
  const copy = { ...state };
  delete copy.finishedAt;
  delete copy.job;
  delete copy.outputs;
  return copy;
}

/**
 * An attempt that failed or timed out: the step waits for its next attempt when it has retries
 * left and the run is not failing (reason StepRetrying, with a recheck after the backoff);
 * otherwise it ends in `outcome`.
 */
export function attemptEnded(plan: PlanContext, step: CompiledStep, state: StepState, outcome: "Failed" | "TimedOut", detail: string): StepState {
  const attempts = state.attempts ?? 1;
  const verb = outcome === "TimedOut" ? "timed out" : "failed";
  if (mayRetry(attempts, step.retryLimit) && !plan.failing()) {
    const delay = retryDelayMs(step.retryBackoffMs, attempts);
    const message = `attempt ${attempts} ${verb}: ${detail}; attempt ${attempts + 1} of ${step.retryLimit + 1} in ${formatDuration(delay)}`;
    plan.event("Warning", IncidentReason.StepRetrying, step.name, message);
    plan.recheck(delay);
    return { ...state, phase: "Waiting", finishedAt: plan.now.toISOString(), message: boundText(message, MAX_MESSAGE_LENGTH) };
  }
  const message = `attempt ${attempts} ${verb}: ${detail}${step.continueOnError ? " (continueOnError: the run goes on)" : ""}`;
  plan.event("Warning", outcome === "TimedOut" ? IncidentReason.StepTimedOut : IncidentReason.StepFailed, step.name, message);
  return plan.finished(state, outcome, message);
}

/**
 * A step waiting for its next attempt: once the backoff since the last attempt ended has
 * passed, the next attempt starts (unless the run is failing or the operator paused).
 */
export function advanceRetryWait(plan: PlanContext, step: CompiledStep, state: StepState, start: StartAttempt): StepState {
  const attempts = state.attempts ?? 1;
  const endedAt = state.finishedAt === undefined ? plan.now.getTime() : Date.parse(state.finishedAt);
  const remaining = endedAt + retryDelayMs(step.retryBackoffMs, attempts) - plan.now.getTime();
  if (plan.failing()) return state;
  if (remaining > 0) {
    plan.recheck(remaining);
    return state;
  }
  if (!plan.input.mayStart) return state;
  return start(plan, step, state, attempts + 1);
}
