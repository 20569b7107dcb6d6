import type { ApprovalDecision, IncidentApproval, StepDecision } from "../../api/v1alpha1/types.generated.ts";

/** What an approval step waiting since `waitingSince` is decided by. */
export interface ApprovalInput {
  /** The Incident's `spec.approvals`. */
  readonly approvals: readonly IncidentApproval[] | undefined;
  readonly playbook: string;
  readonly step: string;
  /** When the step started waiting. */
  readonly waitingSince: Date;
  /** How long to wait; undefined waits until a person decides. */
  readonly timeoutMs: number | undefined;
  /** Decision taken when the timeout expires; default reject. */
  readonly onTimeout: ApprovalDecision | undefined;
  readonly now: Date;
}

/** The decision, or how long to wait before looking again (undefined: until the spec changes). */
export type ApprovalOutcome =
  | { readonly kind: "decided"; readonly decision: StepDecision; readonly reason: string | undefined }
  | { readonly kind: "waiting"; readonly recheckAfterMs: number | undefined };

/**
 * Decides an approval step. The first entry of `spec.approvals` for this playbook and step
 * wins (later entries cannot overturn a decision already acted on); it counts even when it
 * arrives after the timeout, as long as the step is still waiting. Without one, the step waits
 * until the timeout, when `onTimeout` (default reject) decides with `timedOut: true`.
 */
export function decideApproval(input: ApprovalInput): ApprovalOutcome {
  const human = input.approvals?.find((approval) => approval.playbook === input.playbook && approval.step === input.step);
  if (human !== undefined) {
    return {
      kind: "decided",
      decision: { decision: human.decision, by: human.by, at: human.at ?? input.now.toISOString() },
      reason: human.reason,
    };
  }
  if (input.timeoutMs === undefined) return { kind: "waiting", recheckAfterMs: undefined };
  const deadline = input.waitingSince.getTime() + input.timeoutMs;
  const remaining = deadline - input.now.getTime();
  if (remaining > 0) return { kind: "waiting", recheckAfterMs: remaining };
  return {
    kind: "decided",
    decision: { decision: input.onTimeout ?? "reject", at: new Date(deadline).toISOString(), timedOut: true },
    reason: undefined,
  };
}
