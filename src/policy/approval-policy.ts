import { ACTION_TYPES, byAction, type ActionType } from "../api/v1alpha1/index.ts";

/**
 * Actions that need an approval by default: exactly those the action catalog marks destructive
 * (they destroy or reduce capacity, or may take a service down). The rest, containment that is
 * reversible or only reads, runs unattended.
 */
export const DEFAULT_APPROVAL_REQUIRED: Readonly<Record<ActionType, boolean>> = byAction((facts) => facts.destructive);

/**
 * The approval policy: the defaults with per-action overrides from the operator's
 * configuration. Throws a RangeError naming the key when an override names no action.
 */
export function resolveApprovalPolicy(overrides: Readonly<Record<string, boolean>> = {}): Record<ActionType, boolean> {
  const policy = { ...DEFAULT_APPROVAL_REQUIRED };
  for (const [action, required] of Object.entries(overrides)) {
    if (!(ACTION_TYPES as readonly string[]).includes(action)) {
      throw new RangeError(`approvalRequired.${action}: not an action (one of ${ACTION_TYPES.join(", ")})`);
    }
    policy[action as ActionType] = required;
  }
  return policy;
}
