import { resolveApprovalPolicy } from "./approval-policy.ts";
import type { GuardPolicy } from "./guard-input.ts";
import { protectedNamespaces } from "./protected-namespace-guard.ts";

/** The operator settings the guard policy derives from (fields of the operator's options). */
export interface GuardPolicySettings {
  /** The operator's own namespace. */
  readonly namespace: string;
  /** Namespaces protected on top of the built-in ones and the operator's own. */
  readonly protectedNamespaces: readonly string[];
  /** Operator-wide dry-run. */
  readonly dryRun: boolean;
}

/**
 * The guard settings of an operator: the built-in protected namespaces plus the operator's own
 * and the configured ones; the operator's namespace as the privileged one; the default
 * approval policy; the operator-wide dry-run.
 */
export function guardPolicyOf(settings: GuardPolicySettings): GuardPolicy {
  return {
    protectedNamespaces: protectedNamespaces(settings.namespace, settings.protectedNamespaces),
    privilegedNamespace: settings.namespace,
    dryRun: settings.dryRun,
    approvalRequired: resolveApprovalPolicy(),
  };
}
