/**
 * Why an evaluation produced no value. Callers branch on these, never on message text.
 * - `EvaluationError`: CEL raised an error, such as a missing map key or list index, a type
 *   with no matching overload, integer overflow or division by zero. Trigger and step `when`
 *   treat it as "no match"; `has()` avoids it for optional fields.
 * - `CostLimitExceeded`: the evaluation spent its cost budget and was stopped.
 * - `ResultTypeMismatch`: the value has the wrong type for where it is used (a `when` that is
 *   not a bool, a dedup key that is not a string).
 * - `UnrepresentableValue`: a variable or a result has no form on the other side (a JS
 *   function, an int beyond JSON's exact range, NaN in JSON, ...).
 * - `MissingVariable`: the expression reads a variable the caller did not provide.
 */
export const EvaluationFailure = {
  EvaluationError: "EvaluationError",
  CostLimitExceeded: "CostLimitExceeded",
  ResultTypeMismatch: "ResultTypeMismatch",
  UnrepresentableValue: "UnrepresentableValue",
  MissingVariable: "MissingVariable",
} as const;

/** One of the documented evaluation failure reasons. */
export type EvaluationFailureReason = (typeof EvaluationFailure)[keyof typeof EvaluationFailure];

/** A failed evaluation: a reason to branch on and a bounded, escaped message for humans. */
export interface EvaluationFailed {
  readonly ok: false;
  readonly reason: EvaluationFailureReason;
  readonly message: string;
}

/** The value of an evaluation, or why there is none. Evaluation never throws. */
export type EvaluationResult<T> = { readonly ok: true; readonly value: T } | EvaluationFailed;

/** A failure with the given reason and message. */
export function failed(reason: EvaluationFailureReason, message: string): EvaluationFailed {
  return { ok: false, reason, message };
}
