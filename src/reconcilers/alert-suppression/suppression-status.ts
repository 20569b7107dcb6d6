import { ConditionType } from "../../api/v1alpha1/constants.ts";
import type { AlertSuppression, AlertSuppressionStatus } from "../../api/v1alpha1/types.generated.ts";
import type { SuppressionState } from "../../suppression/index.ts";
import { mergeConditions } from "../conditions.ts";

/**
 * The status a suppression should have in `state`: `Ready` True with reason Active while it
 * silences, False with the reason it does not (Expired, ExpiryTooFar, InvalidExpression,
 * InvalidSpec) otherwise, merged into its conditions (transition time kept while the status holds),
 * and `observedGeneration` set. Intake's counts and samples are kept as they are. Pure.
 */
export function suppressionStatus(suppression: AlertSuppression, state: SuppressionState, now: Date): AlertSuppressionStatus {
  const current: AlertSuppressionStatus = suppression.status ?? {};
  const generation = suppression.metadata.generation ?? 0;
  const ready = { type: ConditionType.Ready, status: state.active ? "True" : "False", reason: state.reason, message: state.message } as const;
  return { ...current, conditions: mergeConditions(current.conditions, [ready], generation, now), observedGeneration: generation };
}
