import { ACTION_TYPES } from "../api/v1alpha1/constants.ts";
import type { GuardedActionType } from "./guard-input.ts";

/**
 * Actions that need an approval by default: those that destroy or reduce capacity and cannot
 * be undone exactly (deletePod, evictPod) or may take a service down (scaleWorkload).
 * Containment that is reversible (isolatePod, cordonNode, label, ...) runs unattended.
 */
export const DEFAULT_APPROVAL_REQUIRED: Readonly<Record<GuardedActionType, boolean>> = {
  isolatePod: false,
  label: false,
  annotate: false,
  deletePod: true,
  evictPod: true,
  cordonNode: false,
  uncordonNode: false,
  scaleWorkload: true,
  captureLogs: false,
};

/**
 * The approval policy: the defaults with per-action overrides from the operator's
 * configuration. Throws a RangeError naming the key when an override names no action.
 */
export function resolveApprovalPolicy(overrides: Readonly<Record<string, boolean>> = {}): Record<GuardedActionType, boolean> {
  const policy = { ...DEFAULT_APPROVAL_REQUIRED };
  for (const [action, required] of Object.entries(overrides)) {
    if (!(ACTION_TYPES as readonly string[]).includes(action)) {
      throw new RangeError(`approvalRequired.${action}: not an action (one of ${ACTION_TYPES.join(", ")})`);
    }
    policy[action as GuardedActionType] = required;
  }
  return policy;
}
