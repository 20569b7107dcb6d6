import type { AlertSuppression } from "../api/v1alpha1/types.generated.ts";
import type { ExpressionCompiler } from "../expr/index.ts";
import type { CompiledSuppression, SuppressionProblem } from "./compiled-suppression.ts";
import { SuppressionReason } from "./reasons.ts";

function setOf(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values === undefined || values.length === 0 ? undefined : new Set(values);
}

function timeOf(value: string | Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Compiles one AlertSuppression: `spec.match` in the `trigger` context (the variables and limits
 * of a Playbook's `trigger.when`), the criteria lists as sets and `spec.expiresAt` as a time.
 * Problems name their field: a `match` that does not compile, an `expiresAt` that is not a time,
 * no criterion at all (it would silence everything). Never throws.
 */
export function compileSuppression(suppression: AlertSuppression, expressions: ExpressionCompiler): CompiledSuppression {
  const { metadata, spec } = suppression;
  const namespace = metadata.namespace ?? "";
  const name = metadata.name ?? "";
  const problems: SuppressionProblem[] = [];
  let match: CompiledSuppression["match"];
  if (spec.match !== undefined) {
    const compiled = expressions.compile(spec.match, "trigger");
    if (compiled.ok) match = compiled.program;
    else problems.push({ field: "spec.match", message: compiled.message, reason: SuppressionReason.InvalidExpression });
  }
  const types = setOf(spec.types);
  const rules = setOf(spec.rules);
  const namespaces = setOf(spec.namespaces);
  if (spec.match === undefined && types === undefined && rules === undefined && namespaces === undefined) {
    problems.push({ field: "spec", message: "at least one of match, namespaces, rules or types is required", reason: SuppressionReason.InvalidSpec });
  }
  const expiresAtMs = timeOf(spec.expiresAt) ?? Number.NaN;
  if (Number.isNaN(expiresAtMs)) {
    problems.push({ field: "spec.expiresAt", message: `${JSON.stringify(spec.expiresAt)} is not an RFC 3339 time`, reason: SuppressionReason.InvalidSpec });
  }
  return {
    namespace,
    name,
    key: `${namespace}/${name}`,
    uid: metadata.uid,
    generation: metadata.generation,
    types,
    rules,
    namespaces,
    match,
    createdAtMs: timeOf(metadata.creationTimestamp),
    expiresAtMs,
    problems,
    source: suppression,
  };
}
