import { parseDuration } from "../api/duration.ts";
import type { PlaybookStep } from "../api/v1alpha1/types.generated.ts";
import { compileTemplate, type CompiledTemplate, type ExpressionCompiler } from "../expr/index.ts";
import { STEP_KINDS, type CompiledStep, type PlaybookProblem, type StepKind } from "./compiled-playbook.ts";
import { PlaybookReason } from "./reasons.ts";

/** Wait before the first retry when a step sets `retries` without `backoff`. */
export const DEFAULT_RETRY_BACKOFF_MS = 10_000;

/** A string of the step that may embed `${{ }}`, by its path relative to the step. */
interface TemplateField {
  readonly path: string;
  readonly text: string;
}

function mapFields(prefix: string, map: Readonly<Record<string, string>> | undefined): TemplateField[] {
  return Object.entries(map ?? {}).map(([key, text]) => ({ path: `${prefix}[${key}]`, text }));
}

function listFields(prefix: string, list: readonly string[] | undefined): TemplateField[] {
  return (list ?? []).map((text, index) => ({ path: `${prefix}[${index}]`, text }));
}

/**
 * Every templated string of a step. Only values are templated: images, names of objects and
 * keys stay literal so that what a Playbook can touch is visible in its spec.
 */
function templateFields(step: PlaybookStep): TemplateField[] {
  const fields: TemplateField[] = [];
  if (step.job !== undefined) {
    fields.push(...listFields("job.command", step.job.command), ...listFields("job.args", step.job.args));
    (step.job.env ?? []).forEach((variable, index) => {
      if (variable.value !== undefined) fields.push({ path: `job.env[${index}].value`, text: variable.value });
    });
  }
  if (step.action !== undefined) {
    const target = step.action.target;
    if (target?.namespace !== undefined) fields.push({ path: "action.target.namespace", text: target.namespace });
    if (target?.name !== undefined) fields.push({ path: "action.target.name", text: target.name });
    fields.push(...mapFields("action.params", step.action.params));
  }
  if (step.connector !== undefined) {
    if (step.connector.body !== undefined) fields.push({ path: "connector.body", text: step.connector.body });
    fields.push(...mapFields("connector.params", step.connector.params));
  }
  if (step.approval?.message !== undefined) fields.push({ path: "approval.message", text: step.approval.message });
  if (step.notify !== undefined) fields.push({ path: "notify.message", text: step.notify.message });
  return fields;
}

function kindOf(step: PlaybookStep, field: string, problems: PlaybookProblem[]): StepKind | undefined {
  const kinds = STEP_KINDS.filter((kind) => step[kind] !== undefined);
  if (kinds.length === 1) return kinds[0];
  problems.push({
    field,
    message:
      kinds.length === 0
        ? `exactly one of ${STEP_KINDS.join(", ")} must be set; none is`
        : `exactly one of ${STEP_KINDS.join(", ")} must be set; found ${kinds.join(", ")}`,
    reason: PlaybookReason.InvalidSpec,
  });
  return undefined;
}

function durationOf(text: string | undefined, field: string, problems: PlaybookProblem[]): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDuration(text);
  if (parsed === undefined || parsed <= 0) {
    problems.push({
      field,
      message: `${JSON.stringify(text)} is not a positive duration such as 90s or 1h30m`,
      reason: PlaybookReason.InvalidSpec,
    });
    return undefined;
  }
  return parsed;
}

/**
 * Compiles one step: its `when` in the `step` context, every templated string, its timeout
 * and retry durations. Problems are appended with fields under `spec.steps[<index>]`.
 */
export function compileStep(
  step: PlaybookStep,
  index: number,
  expressions: ExpressionCompiler,
  problems: PlaybookProblem[],
): CompiledStep {
  const base = `spec.steps[${index}]`;
  const kind = kindOf(step, base, problems);
  let when: CompiledStep["when"];
  if (step.when !== undefined) {
    const compiled = expressions.compile(step.when, "step");
    if (compiled.ok) when = compiled.program;
    else problems.push({ field: `${base}.when`, message: compiled.message, reason: PlaybookReason.InvalidExpression });
  }
  const templates = new Map<string, CompiledTemplate>();
  for (const field of templateFields(step)) {
    const compiled = compileTemplate(expressions, field.text, "step");
    if (compiled.ok) templates.set(field.path, compiled.template);
    else problems.push({ field: `${base}.${field.path}`, message: compiled.message, reason: PlaybookReason.InvalidExpression });
  }
  return {
    index,
    name: step.name,
    kind,
    spec: step,
    when,
    timeoutMs: durationOf(step.timeout, `${base}.timeout`, problems),
    retryLimit: step.retries?.limit ?? 0,
    retryBackoffMs: durationOf(step.retries?.backoff, `${base}.retries.backoff`, problems) ?? DEFAULT_RETRY_BACKOFF_MS,
    continueOnError: step.continueOnError ?? false,
    safeToRetry: step.safeToRetry ?? false,
    templates,
    approvalTimeoutMs: durationOf(step.approval?.timeout, `${base}.approval.timeout`, problems),
  };
}
