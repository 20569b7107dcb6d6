import type { GuardDecision, GuardedGraphNode, GuardInput } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";

/** The steps `step` transitively needs, in no particular order; cycles are tolerated. */
export function ancestorsOf(step: string, graph: readonly GuardedGraphNode[]): GuardedGraphNode[] {
  const byName = new Map(graph.map((node) => [node.name, node]));
  const seen = new Set<string>([step]);
  const pending = [...(byName.get(step)?.needs ?? [])];
  const ancestors: GuardedGraphNode[] = [];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const node = byName.get(name);
    if (node === undefined) continue;
    ancestors.push(node);
    pending.push(...node.needs);
  }
  return ancestors;
}

/**
 * Refuses an action the approval policy marks as requiring approval unless an approval step
 * among the step's `needs` ancestors was approved. In dry-run the approval step's existence is
 * enough (no one is asked in a dry run), so the dry-run guard reports the step instead.
 */
export function approvalGuard(input: GuardInput): GuardDecision {
  const { step, policy } = input;
  if (step.kind !== "action" || !policy.approvalRequired[step.action]) return { allowed: true };
  const approvals = ancestorsOf(step.name, input.graph).filter((node) => node.approval !== undefined);
  const dryRun = policy.dryRun || input.playbook.dryRun;
  if (approvals.some((node) => node.approval?.decision === "approve" || dryRun)) return { allowed: true };
  const detail =
    approvals.length === 0
      ? "add an approval step and list it (directly or through other steps) in needs"
      : `approval step ${approvals.map((node) => node.name).sort().join(", ")} has not approved`;
  return {
    allowed: false,
    guard: "approval",
    reason: GuardReason.ApprovalRequired,
    message: `step ${step.name}: ${step.action} requires an approval first: ${detail}`,
  };
}
