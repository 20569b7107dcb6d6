import type { CompiledSuppression } from "./compiled-suppression.ts";
import { SuppressionReason } from "./reasons.ts";

/** Whether a suppression silences alerts at an instant, and why (the message names the field). */
export type SuppressionState =
  | { readonly active: true; readonly reason: typeof SuppressionReason.Active; readonly message: string; readonly expiresAtMs: number }
  | { readonly active: false; readonly reason: SuppressionReason; readonly message: string };

function hours(ms: number): string {
  return `${String(Math.round((ms / 3_600_000) * 100) / 100)}h`;
}

/**
 * The state of a compiled suppression at `nowMs`: not active when its spec has a problem (the
 * first one), when `expiresAt` lies more than `maxDurationMs` after its creation (`ExpiryTooFar`;
 * an object without a creation time is measured from now), or once `expiresAt` is reached
 * (`Expired`); active otherwise, until `expiresAtMs`. Pure: intake calls it for every alert and
 * the controller for the condition, so both decide alike.
 */
export function suppressionState(suppression: CompiledSuppression, nowMs: number, maxDurationMs: number): SuppressionState {
  const [problem] = suppression.problems;
  if (problem !== undefined) return { active: false, reason: problem.reason, message: `${problem.field}: ${problem.message}` };
  const { expiresAtMs } = suppression;
  const expiresAt = new Date(expiresAtMs).toISOString();
  const createdAtMs = suppression.createdAtMs ?? nowMs;
  if (expiresAtMs - createdAtMs > maxDurationMs) {
    return {
      active: false,
      reason: SuppressionReason.ExpiryTooFar,
      message: `spec.expiresAt: ${expiresAt} is ${hours(expiresAtMs - createdAtMs)} after the suppression was created, more than the ${hours(maxDurationMs)} the operator allows (--suppression-max-duration); it silences nothing`,
    };
  }
  if (nowMs >= expiresAtMs) {
    return { active: false, reason: SuppressionReason.Expired, message: `spec.expiresAt: expired at ${expiresAt}; it silences nothing any more` };
  }
  return { active: true, reason: SuppressionReason.Active, message: `silences matching alerts until ${expiresAt}`, expiresAtMs };
}
