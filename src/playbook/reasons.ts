import { Reason } from "../api/v1alpha1/constants.ts";

/**
 * Reasons a Playbook is not Ready. Each is a valid condition and Event reason; they say what
 * kind of fix is needed, and the message names the field.
 */
export const PlaybookReason = {
  /** A CEL expression or `${{ }}` template does not compile. */
  InvalidExpression: Reason.InvalidExpression,
  /** The steps' `needs` name unknown steps, the step itself, or form a cycle; or names repeat. */
  InvalidStepGraph: "InvalidStepGraph",
  /** Something else in the spec is unusable (a duration that does not parse, no step kind). */
  InvalidSpec: Reason.InvalidSpec,
  /** A step of a kind this operator cannot execute yet. */
  StepKindUnavailable: "StepKindUnavailable",
  /** A referenced Connector does not exist in the Playbook's namespace. */
  ConnectorNotFound: Reason.ConnectorNotFound,
  /** A referenced ServiceAccount does not exist in the Playbook's namespace. */
  ServiceAccountNotFound: "ServiceAccountNotFound",
} as const;

/** One of {@link PlaybookReason}. */
export type PlaybookReason = (typeof PlaybookReason)[keyof typeof PlaybookReason];
