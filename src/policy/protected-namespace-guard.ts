import type { GuardDecision, GuardInput } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";

/** Namespaces protected whatever the configuration adds: the cluster's own. */
export const BUILTIN_PROTECTED_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

/**
 * The protected namespaces of an operator: the built-in ones, the operator's own namespace
 * and the configured extra ones, without duplicates.
 */
export function protectedNamespaces(operatorNamespace: string, extra: readonly string[] = []): string[] {
  return [...new Set([...BUILTIN_PROTECTED_NAMESPACES, operatorNamespace, ...extra])];
}

/** Refuses an action whose target lives in a protected namespace, whoever's Playbook asks. */
export function protectedNamespaceGuard(input: GuardInput): GuardDecision {
  const { step, policy } = input;
  if (step.kind !== "action" || step.target.namespace === undefined) return { allowed: true };
  if (!policy.protectedNamespaces.includes(step.target.namespace)) return { allowed: true };
  return {
    allowed: false,
    guard: "protectedNamespace",
    reason: GuardReason.ProtectedNamespace,
    message: `step ${step.name}: ${step.action} on ${step.target.kind} ${step.target.namespace}/${step.target.name} refused: namespace ${step.target.namespace} is protected`,
  };
}
