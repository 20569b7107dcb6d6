import { parseDuration } from "../api/duration.ts";
import { MAX_ESCALATION_LEVELS } from "../api/v1alpha1/schema/escalation.ts";
import type { PlaybookEscalation } from "../api/v1alpha1/types.generated.ts";
import { compileTemplate, type ExpressionCompiler } from "../expr/index.ts";
import type { CompiledEscalation, CompiledEscalationLevel, PlaybookProblem } from "./compiled-playbook.ts";
import { PlaybookReason } from "./reasons.ts";

/** The message of a level that gives none, for a level due `after` the opening. */
export function defaultEscalationMessage(after: string): string {
  return `Incident \${{ incident.namespace }}/\${{ incident.name }} (\${{ incident.severity }}) not acknowledged after ${after}: \${{ incident.title }}`;
}

function compileLevel(
  spec: PlaybookEscalation["levels"][number],
  index: number,
  previous: CompiledEscalationLevel | undefined,
  expressions: ExpressionCompiler,
  problems: PlaybookProblem[],
): CompiledEscalationLevel | undefined {
  const field = `spec.escalation.levels[${index}]`;
  const before = problems.length;
  const afterMs = parseDuration(spec.after);
  if (afterMs === undefined || afterMs <= 0) {
    problems.push({ field: `${field}.after`, message: `${JSON.stringify(spec.after)} is not a positive duration such as 15m or 1h30m`, reason: PlaybookReason.InvalidSpec });
  } else if (previous !== undefined && afterMs <= previous.afterMs) {
    problems.push({
      field: `${field}.after`,
      message: `${spec.after} must be longer than levels[${index - 1}].after (${previous.after}): every level's after counts from the Incident's opening`,
      reason: PlaybookReason.InvalidSpec,
    });
  }
  const message = compileTemplate(expressions, spec.message ?? defaultEscalationMessage(spec.after), "escalation");
  if (!message.ok) problems.push({ field: `${field}.message`, message: message.message, reason: PlaybookReason.InvalidExpression });
  if (problems.length > before || afterMs === undefined || !message.ok) return undefined;
  return { level: index + 1, after: spec.after, afterMs, connector: spec.connector, message: message.template, rawMarkup: spec.rawMarkup ?? false };
}

/**
 * Compiles a Playbook's `spec.escalation`: every level's `after` (positive, and longer than the
 * previous level's, since each counts from the Incident's opening) and message template (in the
 * `escalation` context: `event` and `incident`; a level without one gets
 * {@link defaultEscalationMessage}). Problems are appended with fields under `spec.escalation`;
 * the result is undefined when the Playbook has no escalation or any part of it has a problem,
 * so an escalation never applies half-compiled. Never throws.
 */
export function compileEscalation(spec: PlaybookEscalation | undefined, expressions: ExpressionCompiler, problems: PlaybookProblem[]): CompiledEscalation | undefined {
  if (spec === undefined) return undefined;
  const before = problems.length;
  if (spec.levels.length === 0 || spec.levels.length > MAX_ESCALATION_LEVELS) {
    problems.push({ field: "spec.escalation.levels", message: `between 1 and ${MAX_ESCALATION_LEVELS} levels are required; found ${spec.levels.length}`, reason: PlaybookReason.InvalidSpec });
  }
  const levels: CompiledEscalationLevel[] = [];
  let previous: CompiledEscalationLevel | undefined;
  for (const [index, level] of spec.levels.entries()) {
    const compiled = compileLevel(level, index, previous, expressions, problems);
    if (compiled !== undefined) levels.push(compiled);
    previous = compiled ?? previous;
  }
  if (problems.length > before) return undefined;
  return { severities: spec.severities === undefined ? undefined : new Set(spec.severities), levels };
}
