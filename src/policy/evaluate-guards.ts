import type { Clock } from "../runtime/clock.ts";
import { approvalGuard } from "./approval-guard.ts";
import { dryRunGuard } from "./dry-run-guard.ts";
import type { GuardDecision, GuardInput, GuardName } from "./guard-input.ts";
import { protectedNamespaceGuard } from "./protected-namespace-guard.ts";
import { tenancyGuard } from "./tenancy-guard.ts";

/** One guard: a pure decision over the input and the current time. */
export type Guard = (input: GuardInput, now: Date) => GuardDecision;

/** The chain, in evaluation order; the dry-run guard comes last (see {@link dryRunGuard}). */
export const guardChain: readonly (readonly [GuardName, Guard])[] = [
  ["protectedNamespace", protectedNamespaceGuard],
  ["tenancy", tenancyGuard],
  ["approval", approvalGuard],
  ["dryRun", dryRunGuard],
];

/**
 * Decides whether a step may take its side effect: the first guard that refuses wins, with
 * its name, a PascalCase reason and a message naming the step and the rule. Pure: the same
 * input at the same instant always yields the same decision.
 */
export function evaluateGuards(input: GuardInput, clock: Clock): GuardDecision {
  const now = clock.now();
  for (const [, guard] of guardChain) {
    const decision = guard(input, now);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}
