import type { CelValue } from "@bufbuild/cel";
import type { ExpressionCompiler } from "./compiler.ts";
import type { ExpressionContext } from "./contexts.ts";
import { safeMessage } from "./error-text.ts";
import { prepared, jsonResult, type EvaluationVariables } from "./evaluate.ts";
import { EvaluationFailure, failed, type EvaluationFailed, type EvaluationResult } from "./evaluation-result.ts";
import type { CompiledExpression } from "./program.ts";
import { parseTemplate } from "./template-syntax.ts";
import { templateText, tryConversion, type JsonValue } from "./values.ts";

/** A piece of a compiled template. */
export type CompiledTemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "expression"; readonly program: CompiledExpression; readonly index: number; readonly offset: number };

/** A template whose expressions are all compiled; rendering it never re-parses anything. */
export interface CompiledTemplate {
  readonly source: string;
  readonly context: ExpressionContext;
  readonly parts: readonly CompiledTemplatePart[];
}

/** A compiled template, or the first error with the segment (0-based) and offset it sits at. */
export type TemplateCompileResult =
  | { readonly ok: true; readonly template: CompiledTemplate }
  | {
      readonly ok: false;
      readonly message: string;
      /** 0-based index of the failing `${{ }}` segment, when one segment is at fault. */
      readonly segmentIndex?: number;
      /** UTF-16 offset of that segment's expression in the template. */
      readonly offset?: number;
    };

/**
 * Parses `text` and compiles each `${{ expr }}` in `context` (by default `step`: `event`,
 * `incident`, `steps`). Never throws; limits on template size and segment count apply.
 */
export function compileTemplate(
  compiler: ExpressionCompiler,
  text: string,
  context: ExpressionContext = "step",
): TemplateCompileResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > compiler.limits.maxTemplateBytes) {
    return { ok: false, message: `template is ${bytes} bytes long; the limit is ${compiler.limits.maxTemplateBytes}` };
  }
  const syntax = parseTemplate(text);
  if (!syntax.ok) return syntax;
  const parts: CompiledTemplatePart[] = [];
  for (const part of syntax.parts) {
    if (part.kind === "text") {
      parts.push(part);
      continue;
    }
    if (part.index >= compiler.limits.maxTemplateSegments) {
      return {
        ok: false,
        message: `template has more than ${compiler.limits.maxTemplateSegments} '\${{ }}' segments`,
      };
    }
    const compiled = compiler.compile(part.source, context);
    if (!compiled.ok) {
      return {
        ok: false,
        message: `template segment ${part.index} (offset ${part.offset}): ${compiled.message}`,
        segmentIndex: part.index,
        offset: part.offset,
      };
    }
    parts.push({ kind: "expression", program: compiled.program, index: part.index, offset: part.offset });
  }
  return { ok: true, template: { source: text, context, parts } };
}

/** One piece of rendered text: the template's own text, or the text of one inserted value. */
export interface RenderedPiece {
  readonly text: string;
  /** True for the text of a `${{ }}` value, false for the template's own text. */
  readonly inserted: boolean;
}

/**
 * Rendered text that remembers which pieces are values inserted by `${{ }}`, so that what
 * consumes it can treat them apart from the author's text (escape them for a markup language).
 */
export type RenderedText = readonly RenderedPiece[];

/** The text of `rendered`, each inserted value passed through `insert` (as it is by default). */
export function joinRendered(rendered: RenderedText, insert: (value: string) => string = (value) => value): string {
  let text = "";
  for (const piece of rendered) text += piece.inserted ? insert(piece.text) : piece.text;
  return text;
}

/**
 * Renders a template piece by piece, as {@link renderTemplate} renders it, keeping the
 * template's own text and each inserted value apart. Never throws.
 */
export function renderTemplateText(template: CompiledTemplate, variables: EvaluationVariables): EvaluationResult<RenderedText> {
  const input = prepared(variables);
  if (!input.ok) return input;
  const pieces: RenderedPiece[] = [];
  let budget: "fresh" | "continue" = "fresh";
  for (const part of template.parts) {
    if (part.kind === "text") {
      pieces.push({ text: part.text, inserted: false });
      continue;
    }
    const result = part.program.run(input.value, budget);
    budget = "continue";
    if (!result.ok) return segmentFailure(part.index, result);
    const inserted = insertedText(result.value);
    if (!inserted.ok) return segmentFailure(part.index, inserted);
    pieces.push({ text: inserted.value, inserted: true });
  }
  return { ok: true, value: pieces };
}

/**
 * Renders a template to a string: strings are inserted as they are, numbers, bools, timestamps
 * and durations in their CEL string form, null as `null`, lists and maps as JSON. Values are
 * inserted as data: text that looks like `${{ }}` inside a value stays literal. All segments
 * share one cost budget. Never throws.
 */
export function renderTemplate(template: CompiledTemplate, variables: EvaluationVariables): EvaluationResult<string> {
  const rendered = renderTemplateText(template, variables);
  return rendered.ok ? { ok: true, value: joinRendered(rendered.value) } : rendered;
}

/**
 * Renders a template where a typed value is wanted: a template that is exactly one
 * `${{ expr }}` yields the expression's value as JSON; any other template yields its rendered
 * string. Never throws.
 */
export function renderValue(template: CompiledTemplate, variables: EvaluationVariables): EvaluationResult<JsonValue> {
  const [only, ...rest] = template.parts;
  if (only?.kind !== "expression" || rest.length > 0) return renderTemplate(template, variables);
  const input = prepared(variables);
  if (!input.ok) return input;
  const result = only.program.run(input.value);
  if (!result.ok) return segmentFailure(only.index, result);
  const json = jsonResult(result.value, "value");
  return json.ok ? json : segmentFailure(only.index, json);
}

function insertedText(value: CelValue): EvaluationResult<string> {
  const converted = tryConversion(() => templateText(value, "value"));
  return converted.ok ? converted : failed(EvaluationFailure.UnrepresentableValue, safeMessage(converted.message));
}

function segmentFailure(index: number, failure: EvaluationFailed): EvaluationFailed {
  return failed(failure.reason, `template segment ${index}: ${failure.message}`);
}
