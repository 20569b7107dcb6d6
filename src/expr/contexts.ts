/**
 * The places a Playbook carries CEL, each with the variables an expression there may read.
 */
export const expressionContexts = ["trigger", "dedup", "step", "escalation"] as const;

/** Where an expression lives: trigger `when`, dedup `key`, a step (`when` and templates), or an escalation level's message. */
export type ExpressionContext = (typeof expressionContexts)[number];

/**
 * The variables declared in each context. An identifier outside this list (and outside the
 * variables a macro binds) is rejected at compile time as an undeclared reference.
 */
export const contextVariables: Readonly<Record<ExpressionContext, readonly string[]>> = {
  trigger: ["event"],
  dedup: ["event"],
  step: ["event", "incident", "steps"],
  escalation: ["event", "incident"],
};

/** Whether `value` names an expression context. */
export function isExpressionContext(value: string): value is ExpressionContext {
  return (expressionContexts as readonly string[]).includes(value);
}

/**
 * Variables whose shape is fixed, with their fields: a selection of any other field
 * (`incident.spec`) is rejected at compile time instead of failing when a step renders. The
 * Incident controller builds `incident` with exactly these fields.
 */
export const variableFields: Readonly<Record<string, readonly string[]>> = {
  incident: [
    "name",
    "namespace",
    "severity",
    "title",
    "fingerprint",
    "state",
    "source",
    "resources",
    "observables",
    "occurrences",
    "firstSeen",
    "lastSeen",
  ],
};
