import type { Condition, ConditionStatus } from "../api/v1alpha1/types.generated.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";

/** A condition as a reconciler computes it, before timestamps are applied. */
export interface DesiredCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/**
 * Merges desired conditions into the current ones like apimachinery's SetStatusCondition:
 * `lastTransitionTime` changes only when the status changes; reason, message and
 * observedGeneration are updated in place. Conditions of other types are kept; the result is
 * ordered by the desired list, then the remaining current ones.
 */
export function mergeConditions(
  current: readonly Condition[] | undefined,
  desired: readonly DesiredCondition[],
  observedGeneration: number | undefined,
  now: Date,
): Condition[] {
  const existing = new Map((current ?? []).map((condition) => [condition.type, condition]));
  const merged = desired.map((want): Condition => {
    const previous = existing.get(want.type);
    existing.delete(want.type);
    return {
      type: want.type,
      status: want.status,
      ...(observedGeneration === undefined ? {} : { observedGeneration }),
      lastTransitionTime:
        previous !== undefined && previous.status === want.status ? previous.lastTransitionTime : now.toISOString(),
      reason: want.reason,
      message: boundText(want.message, MAX_MESSAGE_LENGTH),
    };
  });
  return [...merged, ...existing.values()];
}

/** The condition of `type`, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}
