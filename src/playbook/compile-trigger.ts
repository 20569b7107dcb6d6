import { parseDuration } from "../api/duration.ts";
import type { Dedup, Trigger } from "../api/v1alpha1/types.generated.ts";
import type { ExpressionCompiler } from "../expr/index.ts";
import type { CompiledDedup, CompiledTrigger, PlaybookProblem } from "./compiled-playbook.ts";
import { PlaybookReason } from "./reasons.ts";

/** Dedup window when the Playbook does not set one. */
export const DEFAULT_DEDUP_WINDOW_MS = 60 * 60 * 1000;

function setOf(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values === undefined || values.length === 0 ? undefined : new Set(values);
}

/**
 * Compiles `spec.trigger`: type and source sets, minimum severity and the `when` condition in the
 * `trigger` context. Problems name their field; a trigger with no criterion at all is rejected,
 * because it would match every event.
 */
export function compileTrigger(
  trigger: Trigger,
  expressions: ExpressionCompiler,
  problems: PlaybookProblem[],
): CompiledTrigger {
  const types = setOf(trigger.types);
  const sources = setOf(trigger.sources);
  let when: CompiledTrigger["when"];
  if (trigger.when !== undefined) {
    const compiled = expressions.compile(trigger.when, "trigger");
    if (compiled.ok) when = compiled.program;
    else problems.push({ field: "spec.trigger.when", message: compiled.message, reason: PlaybookReason.InvalidExpression });
  }
  if (types === undefined && sources === undefined && trigger.when === undefined) {
    problems.push({
      field: "spec.trigger",
      message: "at least one of types, sources or when is required",
      reason: PlaybookReason.InvalidSpec,
    });
  }
  return { types, sources, minSeverity: trigger.minSeverity, when };
}

/** Compiles `spec.dedup`: the key in the `dedup` context and the window (default 1h). */
export function compileDedup(
  dedup: Dedup | undefined,
  expressions: ExpressionCompiler,
  problems: PlaybookProblem[],
): CompiledDedup {
  let key: CompiledDedup["key"];
  if (dedup?.key !== undefined) {
    const compiled = expressions.compile(dedup.key, "dedup");
    if (compiled.ok) key = compiled.program;
    else problems.push({ field: "spec.dedup.key", message: compiled.message, reason: PlaybookReason.InvalidExpression });
  }
  let windowMs = DEFAULT_DEDUP_WINDOW_MS;
  if (dedup?.window !== undefined) {
    const parsed = parseDuration(dedup.window);
    if (parsed === undefined) {
      problems.push({
        field: "spec.dedup.window",
        message: `${JSON.stringify(dedup.window)} is not a duration such as 90s or 1h30m`,
        reason: PlaybookReason.InvalidSpec,
      });
    } else {
      windowMs = parsed;
    }
  }
  return { key, windowMs };
}
