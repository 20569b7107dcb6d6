/**
 * Playbooks compiled once per generation, shared by intake's matcher and the reconcilers:
 * trigger, dedup, steps with compiled `when` and templates, the step graph, and every problem
 * with the field it concerns.
 */
export {
  STEP_KINDS,
  type CompiledDedup,
  type CompiledEscalation,
  type CompiledEscalationLevel,
  type CompiledPlaybook,
  type CompiledStep,
  type CompiledTrigger,
  type PlaybookProblem,
  type PlaybookReference,
  type PlaybookWarning,
  type StepKind,
} from "./compiled-playbook.ts";
export { compilePlaybook } from "./compile-playbook.ts";
export { defaultEscalationMessage } from "./compile-escalation.ts";
export { DEFAULT_RETRY_BACKOFF_MS } from "./compile-step.ts";
export { DEFAULT_DEDUP_WINDOW_MS } from "./compile-trigger.ts";
export { formatFieldError, type FieldError } from "./field-error.ts";
export { DEFAULT_COMPILED_PLAYBOOKS, PlaybookCompiler } from "./playbook-compiler.ts";
export { PlaybookReason, PlaybookWarningReason } from "./reasons.ts";
export { shellTemplateWarnings } from "./shell-script-templates.ts";
export { buildStepGraph, transitiveDependents, type StepGraph, type StepGraphMode, type StepGraphResult, type StepNode } from "./step-graph.ts";
export { triggerMatches, type TriggerInput } from "./trigger-match.ts";
