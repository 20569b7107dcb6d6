import { ACTION_TYPES, type ActionType } from "../api/v1alpha1/index.ts";
import type { ActionContext } from "./action-contract.ts";
import type { DefinitionOf } from "./action-definition.ts";
import { actionFailure, type ActionOutcome } from "./action-outcome.ts";
import { captureLogsAction } from "./capture-logs.ts";
import { cordonNodeAction, uncordonNodeAction } from "./cordon-node.ts";
import { deletePodAction } from "./delete-pod.ts";
import { evictPodAction } from "./evict-pod.ts";
import { isolatePodAction } from "./isolate-pod.ts";
import { annotateAction, labelAction } from "./label.ts";
import { boundText, MAX_MESSAGE_LENGTH, MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../api/v1alpha1/bounds.ts";
import { scaleWorkloadAction } from "./scale-workload.ts";

/**
 * Every built-in action, by type: one implementation per row of `ACTION_CATALOG`, and a
 * `revert` exactly for the rows marked reversible.
 */
export const builtinActions: { readonly [A in ActionType]: DefinitionOf<A> } = {
  isolatePod: isolatePodAction,
  label: labelAction,
  annotate: annotateAction,
  deletePod: deletePodAction,
  evictPod: evictPodAction,
  cordonNode: cordonNodeAction,
  uncordonNode: uncordonNodeAction,
  scaleWorkload: scaleWorkloadAction,
  captureLogs: captureLogsAction,
};

/** True when `value` names a built-in action; narrows rendered or stored strings. */
export function isActionType(value: string): value is ActionType {
  return (ACTION_TYPES as readonly string[]).includes(value);
}

function boundOutputs(outputs: Record<string, string>): Record<string, string> {
  const bounded: Record<string, string> = {};
  for (const [key, value] of Object.entries(outputs).slice(0, MAX_OUTPUTS)) bounded[key] = boundText(value, MAX_OUTPUT_VALUE_LENGTH);
  return bounded;
}

/**
 * Runs a built-in action and guarantees the shape of the outcome whatever happens inside:
 * never throws (an unexpected error becomes a retryable `ApiUnavailable` failure naming the
 * action), outputs and message are bounded to what the Incident status holds, and a dry run
 * returns no undo record (nothing was changed).
 */
export async function executeAction(type: ActionType, context: ActionContext): Promise<ActionOutcome> {
  let outcome: ActionOutcome;
  try {
    outcome = await builtinActions[type].execute(context);
  } catch (error: unknown) {
    context.logger.error({ action: type, err: error }, "action failed unexpectedly");
    return actionFailure("ApiUnavailable", `${type}: failed unexpectedly (${error instanceof Error ? error.name : "error"})`);
  }
  if (!outcome.ok) return outcome;
  const { undo, ...rest } = outcome;
  const bounded = { ...rest, outputs: boundOutputs(outcome.outputs), message: boundText(outcome.message, MAX_MESSAGE_LENGTH) };
  return context.dryRun || undo === undefined ? bounded : { ...bounded, undo };
}
