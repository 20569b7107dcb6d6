/**
 * The places a Playbook carries CEL, each with the variables an expression there may read.
 */
export const expressionContexts = ["trigger", "dedup", "step"] as const;

/** Where an expression lives: trigger `when`, dedup `key`, or a step (`when` and templates). */
export type ExpressionContext = (typeof expressionContexts)[number];

/**
 * The variables declared in each context. An identifier outside this list (and outside the
 * variables a macro binds) is rejected at compile time as an undeclared reference.
 */
export const contextVariables: Readonly<Record<ExpressionContext, readonly string[]>> = {
  trigger: ["event"],
  dedup: ["event"],
  step: ["event", "incident", "steps"],
};

/** Whether `value` names an expression context. */
export function isExpressionContext(value: string): value is ExpressionContext {
  return (expressionContexts as readonly string[]).includes(value);
}
