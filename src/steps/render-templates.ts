import { renderTemplate, type EvaluationVariables } from "../expr/index.ts";
import type { CompiledStep } from "../playbook/index.ts";

/** Every templated string of a step, rendered, by its path relative to the step (`job.args[0]`). */
export type RenderedTemplates = ReadonlyMap<string, string>;

/** The rendered strings, or the first field that failed and why. */
export type RenderResult =
  | { readonly ok: true; readonly values: RenderedTemplates }
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * Renders every compiled template of `step` against `variables` (`event`, `incident`,
 * `steps`, prepared once for all of them). Each result is a plain string that is used as one
 * value (an argument, an environment value, a message), never re-parsed. A failure names the
 * field, as `spec.steps[<index>].<path>`. Never throws.
 */
export function renderStepTemplates(step: CompiledStep, variables: EvaluationVariables): RenderResult {
  const values = new Map<string, string>();
  for (const [path, template] of step.templates) {
    const rendered = renderTemplate(template, variables);
    if (!rendered.ok) return { ok: false, field: `spec.steps[${step.index}].${path}`, message: rendered.message };
    values.set(path, rendered.value);
  }
  return { ok: true, values };
}
