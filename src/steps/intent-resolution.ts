import type { StepKind } from "../playbook/index.ts";

/**
 * Whether repeating a step kind's side effect under the same intent id is harmless: Jobs have
 * deterministic names (a second create finds the first Job), built-in actions are idempotent
 * by construction, approvals have no side effect. Connector and notify calls reach systems
 * kube-soar cannot query, so a repeated call may happen twice.
 */
export const IDEMPOTENT_BY_INTENT: Readonly<Record<StepKind, boolean>> = {
  job: true,
  action: true,
  approval: true,
  connector: false,
  notify: false,
};

/** What to do with a recorded intent whose outcome is unknown after a restart. */
export type IntentResolution =
  /** Carry the side effect out (again): it is idempotent, or the step says it is safe. */
  | "repeat"
  /** Fail the step with reason OutcomeUnknown: repeating it could do it twice. */
  | "outcome-unknown";

/**
 * Resolves an intent without a known outcome: repeat it when the kind is idempotent under the
 * intent id or the step declares `safeToRetry: true`; otherwise the outcome stays unknown and
 * the step fails with reason OutcomeUnknown rather than risk a second side effect.
 */
export function resolveUnknownOutcome(kind: StepKind, safeToRetry: boolean): IntentResolution {
  return IDEMPOTENT_BY_INTENT[kind] || safeToRetry ? "repeat" : "outcome-unknown";
}
