import { reasonsOf } from "../api/v1alpha1/reasons.ts";

/**
 * Reasons of guard refusals: a step refused by the guard chain or, on a protected Node, by its
 * action; or a run refused at its start by the Playbook's `rateLimit` or `maxActiveIncidents`;
 * as the timeline entry and Event name them.
 */
export const GuardReason = reasonsOf([
  "ProtectedNamespace",
  "ProtectedNode",
  "TenancyViolation",
  "ApprovalRequired",
  "RateLimited",
  "TooManyActiveIncidents",
  "DryRun",
]);
/** One of {@link GuardReason}. */
export type GuardReason = (typeof GuardReason)[keyof typeof GuardReason];
