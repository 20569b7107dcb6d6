import type { GuardDecision, GuardInput } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";

/** Refuses when the Playbook already has `maxActiveIncidents` other active Incidents. */
export function activeIncidentsGuard(input: GuardInput): GuardDecision {
  const max = input.playbook.maxActiveIncidents;
  if (max === undefined || input.history.otherActiveIncidents < max) return { allowed: true };
  return {
    allowed: false,
    guard: "maxActiveIncidents",
    reason: GuardReason.TooManyActiveIncidents,
    message: `step ${input.step.name}: Playbook ${input.playbook.name} has ${input.history.otherActiveIncidents} other active Incidents (maxActiveIncidents ${max})`,
  };
}
