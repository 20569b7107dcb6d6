import { selectorMatches, type LabelSelector } from "../api/label-selector.ts";
import type { ActionType } from "../api/v1alpha1/index.ts";
import { actionFailure, type ActionFailure } from "./action-outcome.ts";

/**
 * The refusal of `action` on Node `name` when the protected-nodes selector selects the Node's
 * labels, naming the node and the selector; undefined when no selector is set or it does not
 * select the Node. Not retryable: only relabelling the Node or changing the flag changes it.
 */
export function protectedNodeRefusal(action: ActionType, name: string, labels: Readonly<Record<string, string>>, selector: LabelSelector | undefined): ActionFailure | undefined {
  if (selector === undefined || !selectorMatches(selector, labels)) return undefined;
  return actionFailure("ProtectedNode", `${action}: node ${name} is protected: its labels match the protected-node selector ${JSON.stringify(selector.text)}`);
}
