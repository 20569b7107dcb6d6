/**
 * Reasons of guard refusals. PascalCase, so each is a valid condition reason and Event reason,
 * and each is one of the API's reasons.
 */
export const GuardReason = {
  ProtectedNamespace: "ProtectedNamespace",
  TenancyViolation: "TenancyViolation",
  ApprovalRequired: "ApprovalRequired",
  DryRun: "DryRun",
} as const;
