/**
 * Reasons of guard refusals. PascalCase, so each is a valid condition reason and Event reason;
 * `RateLimited` and `TooManyActiveIncidents` are the same strings as the API's reasons.
 */
export const GuardReason = {
  ProtectedNamespace: "ProtectedNamespace",
  TenancyViolation: "TenancyViolation",
  ApprovalRequired: "ApprovalRequired",
  RateLimited: "RateLimited",
  TooManyActiveIncidents: "TooManyActiveIncidents",
  DryRun: "DryRun",
} as const;
