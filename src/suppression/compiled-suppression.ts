import type { AlertSuppression } from "../api/v1alpha1/types.generated.ts";
import type { CompiledExpression } from "../expr/index.ts";
import type { SuppressionReason } from "./reasons.ts";

/** Something wrong with a suppression's spec, naming the field. */
export interface SuppressionProblem {
  readonly field: string;
  readonly message: string;
  readonly reason: SuppressionReason;
}

/**
 * One generation of an AlertSuppression, ready to match: its criteria as sets, its `match`
 * compiled in the same CEL environment as a Playbook's `trigger.when`, and its times in
 * milliseconds. A suppression with problems never matches.
 */
export interface CompiledSuppression {
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`: the suppression's key in counts, status writes and the metric label. */
  readonly key: string;
  readonly uid: string | undefined;
  readonly generation: number | undefined;
  readonly types: ReadonlySet<string> | undefined;
  readonly rules: ReadonlySet<string> | undefined;
  readonly namespaces: ReadonlySet<string> | undefined;
  readonly match: CompiledExpression | undefined;
  /** `metadata.creationTimestamp`; undefined for an object that has none (not from the API server). */
  readonly createdAtMs: number | undefined;
  /** `spec.expiresAt`; NaN when it is not a time. */
  readonly expiresAtMs: number;
  readonly problems: readonly SuppressionProblem[];
  readonly source: AlertSuppression;
}
