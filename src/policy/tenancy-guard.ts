import type { GuardDecision, GuardInput } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";

/**
 * Refuses an action outside the Playbook's own namespace (or on a cluster-scoped object)
 * unless the Playbook lives in the privileged namespace.
 */
export function tenancyGuard(input: GuardInput): GuardDecision {
  const { step, playbook, policy } = input;
  if (step.kind !== "action" || playbook.namespace === policy.privilegedNamespace) return { allowed: true };
  const { target } = step;
  if (target.namespace === playbook.namespace) return { allowed: true };
  const where = target.namespace === undefined ? `the cluster-scoped ${target.kind} ${target.name}` : `${target.kind} ${target.namespace}/${target.name}`;
  return {
    allowed: false,
    guard: "tenancy",
    reason: GuardReason.TenancyViolation,
    message: `step ${step.name}: Playbook ${playbook.namespace}/${playbook.name} may act only in namespace ${playbook.namespace}, not on ${where}; only Playbooks in ${policy.privilegedNamespace} may act across namespaces`,
  };
}
