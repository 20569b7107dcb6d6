import { boundText, MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../api/v1alpha1/bounds.ts";
import type { StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../playbook/index.ts";
import { IncidentReason } from "../api/v1alpha1/incident-reasons.ts";
import type { PlanContext } from "./plan-context.ts";
import { renderStepTemplates } from "./render-templates.ts";

/**
 * A dry-run step that only renders: it succeeds with its rendered templates as outputs
 * (`dryRun: "true"` first, then by path, bounded), or fails when a template does not render.
 */
export function dryRunRendered(plan: PlanContext, step: CompiledStep, state: StepState): StepState {
  const started: StepState = { ...state, startedAt: plan.now.toISOString() };
  const rendered = renderStepTemplates(step, plan.variables());
  if (!rendered.ok) return plan.failed(step, started, `dry run: ${rendered.field}: ${rendered.message}`);
  const outputs: Record<string, string> = { dryRun: "true" };
  for (const [path, value] of rendered.values) {
    if (Object.keys(outputs).length < MAX_OUTPUTS) outputs[path] = boundText(value, MAX_OUTPUT_VALUE_LENGTH);
  }
  const message = `dry run: ${step.kind ?? "step"} step rendered; nothing was requested or called`;
  plan.event("Normal", IncidentReason.DryRunRendered, step.name, message);
  return { ...plan.finished(started, "Succeeded", message), outputs };
}
