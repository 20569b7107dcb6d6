import { celType, type CelValue } from "@bufbuild/cel";
import { safeMessage } from "./error-text.ts";
import { EvaluationFailure, failed, type EvaluationResult } from "./evaluation-result.ts";
import type { CompiledExpression } from "./program.ts";
import { toJsonValue, tryConversion, type JsonValue } from "./values.ts";
import { PreparedVariables, prepareVariables, type VariableValues } from "./variables.ts";

/** Variables as JSON values, or already prepared (convert once, evaluate many programs). */
export type EvaluationVariables = PreparedVariables | VariableValues;

/**
 * Evaluates a program and converts the result to JSON (see `toJsonValue`). Never throws; a
 * missing map key, an overload error or an exhausted budget comes back as a failure.
 */
export function evaluate(program: CompiledExpression, variables: EvaluationVariables): EvaluationResult<JsonValue> {
  const result = evaluateCel(program, variables);
  return result.ok ? jsonResult(result.value, "result") : result;
}

/**
 * Evaluates a condition: the result must be a bool, otherwise `ResultTypeMismatch` names the
 * type it was. Callers matching triggers treat every failure as "no match".
 */
export function evaluateBool(program: CompiledExpression, variables: EvaluationVariables): EvaluationResult<boolean> {
  const result = evaluateCel(program, variables);
  if (!result.ok) return result;
  if (typeof result.value === "boolean") return { ok: true, value: result.value };
  return mismatch("bool", result.value);
}

/**
 * Evaluates a string-valued expression such as a dedup key: the result must be a string,
 * otherwise `ResultTypeMismatch` names the type (wrap other values in `string()`).
 */
export function evaluateString(
  program: CompiledExpression,
  variables: EvaluationVariables,
): EvaluationResult<string> {
  const result = evaluateCel(program, variables);
  if (!result.ok) return result;
  if (typeof result.value === "string") return { ok: true, value: result.value };
  return mismatch("string", result.value);
}

function evaluateCel(
  program: CompiledExpression,
  variables: EvaluationVariables,
): EvaluationResult<CelValue> {
  const input = prepared(variables);
  return input.ok ? program.run(input.value) : input;
}

/** Prepared variables as they are, or plain values converted. */
export function prepared(variables: EvaluationVariables): EvaluationResult<PreparedVariables> {
  return variables instanceof PreparedVariables ? { ok: true, value: variables } : prepareVariables(variables);
}

/** A CEL value converted to JSON, or `UnrepresentableValue` naming where it failed. */
export function jsonResult(value: CelValue, path: string): EvaluationResult<JsonValue> {
  const converted = tryConversion(() => toJsonValue(value, path));
  return converted.ok ? converted : failed(EvaluationFailure.UnrepresentableValue, safeMessage(converted.message));
}

function mismatch(expected: string, value: CelValue): EvaluationResult<never> {
  return failed(EvaluationFailure.ResultTypeMismatch, `expected a ${expected} result, got ${celType(value).name}`);
}
