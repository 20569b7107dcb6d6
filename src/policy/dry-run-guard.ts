import type { GuardDecision, GuardInput } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";

/**
 * Refuses every side effect when the Playbook or the operator is in dry-run mode; the step
 * engine records the step as planned and rendered instead. Last in the chain, so a dry run
 * still shows what any other guard would refuse.
 */
export function dryRunGuard(input: GuardInput): GuardDecision {
  const operator = input.policy.dryRun;
  if (!operator && !input.playbook.dryRun) return { allowed: true };
  return {
    allowed: false,
    guard: "dryRun",
    reason: GuardReason.DryRun,
    message: `step ${input.step.name}: dry run (${operator ? "operator-wide" : `Playbook ${input.playbook.name}`}): planned, not executed`,
  };
}
