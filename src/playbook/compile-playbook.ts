import type { Playbook } from "../api/v1alpha1/types.generated.ts";
import type { ExpressionCompiler } from "../expr/index.ts";
import type { CompiledPlaybook, CompiledStep, PlaybookProblem, PlaybookReference } from "./compiled-playbook.ts";
import { compileEscalation } from "./compile-escalation.ts";
import { compileStep } from "./compile-step.ts";
import { compileDedup, compileTrigger } from "./compile-trigger.ts";
import { PlaybookReason } from "./reasons.ts";
import { shellTemplateWarnings } from "./shell-script-templates.ts";
import { buildStepGraph } from "./step-graph.ts";

function connectorRefs(playbook: Playbook, steps: readonly CompiledStep[]): PlaybookReference[] {
  const refs: PlaybookReference[] = [];
  for (const step of steps) {
    if (step.spec.connector !== undefined) {
      refs.push({ field: `spec.steps[${step.index}].connector.ref`, name: step.spec.connector.ref });
    }
    if (step.spec.notify !== undefined) {
      refs.push({ field: `spec.steps[${step.index}].notify.connector`, name: step.spec.notify.connector });
    }
  }
  for (const [index, level] of (playbook.spec.escalation?.levels ?? []).entries()) {
    refs.push({ field: `spec.escalation.levels[${index}].connector`, name: level.connector });
  }
  return refs;
}

function serviceAccountRefs(playbook: Playbook, steps: readonly CompiledStep[]): PlaybookReference[] {
  const refs: PlaybookReference[] = [];
  if (playbook.spec.serviceAccountName !== undefined) {
    refs.push({ field: "spec.serviceAccountName", name: playbook.spec.serviceAccountName });
  }
  for (const step of steps) {
    const name = step.spec.job?.serviceAccountName;
    if (name !== undefined) refs.push({ field: `spec.steps[${step.index}].job.serviceAccountName`, name });
  }
  return refs;
}

/**
 * Compiles one Playbook generation: the trigger, the dedup key and window, every step's `when`,
 * templates and durations, the step graph, and the escalation's levels. Never throws; every
 * problem is returned with the field it concerns (`spec.steps[2].when: undeclared reference to
 * 'evnt' ...`) and a reason, all of them at once so an author can fix them in one edit. Warnings (see
 * {@link shellTemplateWarnings}) are reported beside the problems and never stop a run.
 */
export function compilePlaybook(playbook: Playbook, expressions: ExpressionCompiler): CompiledPlaybook {
  const problems: PlaybookProblem[] = [];
  const trigger = compileTrigger(playbook.spec.trigger, expressions, problems);
  const dedup = compileDedup(playbook.spec.dedup, expressions, problems);
  const steps = playbook.spec.steps.map((step, index) => compileStep(step, index, expressions, problems));
  const escalation = compileEscalation(playbook.spec.escalation, expressions, problems);
  const graphResult = buildStepGraph(playbook.spec.steps);
  if (!graphResult.ok) {
    problems.push(...graphResult.errors.map((error) => ({ ...error, reason: PlaybookReason.InvalidStepGraph })));
  }
  if (playbook.spec.steps.length === 0) {
    problems.push({ field: "spec.steps", message: "at least one step is required", reason: PlaybookReason.InvalidSpec });
  }
  return {
    uid: playbook.metadata.uid ?? "",
    namespace: playbook.metadata.namespace ?? "",
    name: playbook.metadata.name ?? "",
    generation: playbook.metadata.generation ?? 0,
    trigger,
    dedup,
    steps,
    graph: graphResult.ok ? graphResult.graph : undefined,
    dryRun: playbook.spec.dryRun ?? false,
    suspend: playbook.spec.suspend ?? false,
    serviceAccountName: playbook.spec.serviceAccountName,
    escalation,
    connectorRefs: connectorRefs(playbook, steps),
    serviceAccountRefs: serviceAccountRefs(playbook, steps),
    problems,
    warnings: shellTemplateWarnings(playbook.spec.steps),
    source: playbook,
  };
}
