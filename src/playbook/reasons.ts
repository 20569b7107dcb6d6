import { reasonsOf } from "../api/v1alpha1/reasons.ts";

/**
 * Reasons a Playbook is not Ready. They say what kind of fix is needed, and the message names
 * the field.
 */
export const PlaybookReason = reasonsOf([
  "InvalidExpression",
  "InvalidStepGraph",
  "InvalidSpec",
  "StepKindUnavailable",
  "ConnectorNotFound",
  "ServiceAccountNotFound",
  "TenancyUnverified",
]);

/** One of {@link PlaybookReason}. */
export type PlaybookReason = (typeof PlaybookReason)[keyof typeof PlaybookReason];

/** Reasons of a Playbook's warnings: allowed, probably a mistake, never a reason not to run. */
export const PlaybookWarningReason = reasonsOf(["TemplateInShellScript"]);

/** One of {@link PlaybookWarningReason}. */
export type PlaybookWarningReason = (typeof PlaybookWarningReason)[keyof typeof PlaybookWarningReason];
