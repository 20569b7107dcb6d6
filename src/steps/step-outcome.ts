import type { StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../playbook/index.ts";

/**
 * Whether a step ended in failure (failed, timed out, or blocked by a guard before its side
 * effect), whatever its `continueOnError`.
 */
export function isFailure(state: StepState): boolean {
  return state.phase === "Failed" || state.phase === "TimedOut" || state.phase === "Blocked";
}

/**
 * Whether a finished step lets the steps that need it start: it succeeded, was skipped (its
 * `when` was false), or failed with `continueOnError`.
 */
export function satisfiesNeeds(state: StepState, step: CompiledStep): boolean {
  if (state.phase === "Succeeded" || state.phase === "Skipped") return true;
  return isFailure(state) && step.continueOnError;
}

/** Whether a step's failure fails its run: it failed or timed out without `continueOnError`. */
export function failsRun(state: StepState, step: CompiledStep): boolean {
  return isFailure(state) && !step.continueOnError;
}
