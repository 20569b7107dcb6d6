/**
 * The guard chain evaluated before every side effect of a step: protected namespaces,
 * tenancy, approvals, rate limit, active-incident cap and dry-run. Pure; the clock is injected.
 */
export { evaluateGuards, guardChain, type Guard } from "./evaluate-guards.ts";
export {
  GUARD_NAMES,
  type GuardDecision,
  type GuardedGraphNode,
  type GuardedHistory,
  type GuardedPlaybook,
  type GuardedStep,
  type GuardedTarget,
  type GuardInput,
  type GuardName,
  type GuardPolicy,
} from "./guard-input.ts";
export { GuardReason } from "./guard-reasons.ts";
export { DEFAULT_APPROVAL_REQUIRED, resolveApprovalPolicy } from "./approval-policy.ts";
export { ancestorsOf } from "./approval-guard.ts";
export { BUILTIN_PROTECTED_NAMESPACES, protectedNamespaces } from "./protected-namespace-guard.ts";
export { guardPolicyOf, type GuardPolicySettings } from "./guard-policy.ts";
export { createGuardMetrics, type GuardMetrics } from "./guard-metrics.ts";
