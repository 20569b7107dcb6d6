/**
 * CEL for Playbooks: compile once per Playbook generation (checked, bounded, cached), evaluate
 * many times under a cost budget, and render `${{ }}` templates without re-parsing values.
 */
export { contextVariables, expressionContexts, isExpressionContext, variableFields, type ExpressionContext } from "./contexts.ts";
export { defaultExpressionLimits, type ExpressionLimits } from "./limits.ts";
export {
  createExpressionCompiler,
  defaultCacheEntries,
  defaultCacheSourceChars,
  type CompileResult,
  type ExpressionCompiler,
  type ExpressionCompilerOptions,
} from "./compiler.ts";
export type { CompiledExpression } from "./program.ts";
export { evaluate, evaluateBool, evaluateString, type EvaluationVariables } from "./evaluate.ts";
export {
  EvaluationFailure,
  type EvaluationFailed,
  type EvaluationFailureReason,
  type EvaluationResult,
} from "./evaluation-result.ts";
export { prepareVariables, type PreparedVariables, type VariableValues } from "./variables.ts";
export type { JsonValue } from "./values.ts";
export {
  compileTemplate,
  joinRendered,
  renderTemplate,
  renderTemplateText,
  renderValue,
  type CompiledTemplate,
  type CompiledTemplatePart,
  type RenderedPiece,
  type RenderedText,
  type TemplateCompileResult,
} from "./templates.ts";
export { parseTemplate, type TemplatePart, type TemplateSyntaxResult } from "./template-syntax.ts";
export { isShellQuoteCall, shellQuoteName } from "./shell-quote.ts";
