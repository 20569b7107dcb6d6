import { byAction, type ActionType } from "../api/v1alpha1/index.ts";

/**
 * Actions that need an approval by default: exactly those the action catalog marks destructive
 * (they destroy or reduce capacity, or may take a service down). The rest, containment that is
 * reversible or only reads, runs unattended.
 */
export const DEFAULT_APPROVAL_REQUIRED: Readonly<Record<ActionType, boolean>> = byAction((facts) => facts.destructive);

/** The approval policy the guards enforce: a fresh copy of the defaults. */
export function resolveApprovalPolicy(): Record<ActionType, boolean> {
  return { ...DEFAULT_APPROVAL_REQUIRED };
}
