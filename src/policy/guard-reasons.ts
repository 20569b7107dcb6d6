import { reasonsOf } from "../api/v1alpha1/reasons.ts";

/** Reasons of guard refusals, as the refused step's timeline entry and Event name them. */
export const GuardReason = reasonsOf([
  "ProtectedNamespace",
  "TenancyViolation",
  "ApprovalRequired",
  "RateLimited",
  "TooManyActiveIncidents",
  "DryRun",
]);
/** One of {@link GuardReason}. */
export type GuardReason = (typeof GuardReason)[keyof typeof GuardReason];
