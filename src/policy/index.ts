/**
 * The guard chain evaluated before every side effect of a step (protected namespaces, tenancy,
 * approvals and dry-run), the Playbook limits checked once before a run starts (rate limit
 * and active-incident cap), which alerts a Playbook may see at intake, the destination policy
 * of Connector calls, and whether a tenant's object was checked by the tenancy admission
 * policies. Pure; the clock is injected.
 */
export { evaluateGuards, guardChain, type Guard } from "./evaluate-guards.ts";
export {
  GUARD_NAMES,
  type GuardDecision,
  type GuardedGraphNode,
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
export { playbookMaySeeAlert, suppressionMaySilence } from "./alert-tenancy.ts";
export { guardPolicyOf, type GuardPolicySettings } from "./guard-policy.ts";
export { createGuardMetrics, type GuardMetrics } from "./guard-metrics.ts";
export {
  decideRunStart,
  RUN_LIMIT_NAMES,
  runLimitsOf,
  type RunHistory,
  type RunLimitName,
  type RunLimits,
  type RunStartDecision,
  type RunStartInput,
} from "./run-start-limits.ts";
export {
  destinationPolicy,
  effectiveAddress,
  parseCidr,
  type Cidr,
  type DestinationDecision,
  type DestinationPolicy,
  type DestinationPolicyConfig,
  type ProtectedAddresses,
} from "./destination-policy.ts";
export {
  connectorPrivilegedFields,
  threatFeedPrivilegedFields,
  lastSpecWrite,
  playbookPrivilegedFields,
  POLICY_SETTLE_MS,
  verifyApprovals,
  verifyTenancy,
  type ManagedFieldsTime,
  type PolicyBindingState,
  type TenancySubject,
  type TenancyVerdict,
} from "./tenancy-verification.ts";
export { bindingStateFor, type ObservedBinding, type ObservedLabelSelector } from "./tenancy-binding.ts";
