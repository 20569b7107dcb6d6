import { formatDuration } from "../api/duration.ts";
import type { StepState } from "../api/v1alpha1/types.generated.ts";
import { boundText, MAX_MESSAGE_LENGTH, MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../api/v1alpha1/bounds.ts";
import type { EffectOutcome } from "./step-effects.ts";
import { IncidentReason } from "../api/v1alpha1/incident-reasons.ts";
import { mayRetry, retryDelayMs } from "./retry-policy.ts";
import type { TimelineEvent } from "../api/v1alpha1/timeline.ts";

/** The retry settings of the step whose effect ended. */
export interface EffectStepPolicy {
  readonly retryLimit: number;
  readonly retryBackoffMs: number;
  readonly continueOnError: boolean;
}

function boundedOutputs(outputs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(outputs).slice(0, MAX_OUTPUTS).map(([key, value]) => [key, boundText(value, MAX_OUTPUT_VALUE_LENGTH)]));
}

/**
 * Records how an action or connector effect ended in its step, as a pure function:
 * - success: `Succeeded` with bounded outputs, and the undo record when the outcome has one;
 *   an earlier undo record is never dropped by an outcome without one (a repeated action that
 *   found its work done returns none);
 * - retryable failure with retries left: `Waiting` for the next attempt (the planner starts
 *   it after the step's backoff), reason StepRetrying;
 * - otherwise `Failed`, with the failure's reason as the timeline and Event reason.
 * The intent stays recorded, so a restart knows this attempt happened.
 */
export function applyEffectOutcome(
  state: StepState,
  outcome: EffectOutcome,
  policy: EffectStepPolicy,
  now: Date,
): { state: StepState; event: Omit<TimelineEvent, "playbook" | "step"> } {
  const attempt = state.intent?.attempt ?? state.attempts ?? 1;
  const finishedAt = now.toISOString();
  if (outcome.ok) {
    const message = boundText(`attempt ${attempt}: ${outcome.message}`, MAX_MESSAGE_LENGTH);
    const undo = outcome.undo ?? state.undo;
    return {
      state: { ...state, phase: "Succeeded", finishedAt, message, outputs: boundedOutputs(outcome.outputs), ...(undo === undefined ? {} : { undo }) },
      event: { type: "Normal", reason: IncidentReason.StepSucceeded, message },
    };
  }
  if (outcome.retryable && mayRetry(attempt, policy.retryLimit)) {
    const delay = retryDelayMs(policy.retryBackoffMs, attempt);
    const message = boundText(
      `attempt ${attempt} failed (${outcome.reason}): ${outcome.message}; attempt ${attempt + 1} of ${policy.retryLimit + 1} in ${formatDuration(delay)}`,
      MAX_MESSAGE_LENGTH,
    );
    return { state: { ...state, phase: "Waiting", finishedAt, message }, event: { type: "Warning", reason: IncidentReason.StepRetrying, message } };
  }
  const message = boundText(
    `attempt ${attempt} failed (${outcome.reason}): ${outcome.message}${policy.continueOnError ? " (continueOnError: the run goes on)" : ""}`,
    MAX_MESSAGE_LENGTH,
  );
  return { state: { ...state, phase: "Failed", finishedAt, message }, event: { type: "Warning", reason: outcome.reason, message } };
}
