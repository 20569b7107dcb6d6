import { celError, isCelError, type CelResult, type CelValue } from "@bufbuild/cel";
import type { ExpressionContext } from "./contexts.ts";
import type { ExpressionEnvironment } from "./environment.ts";
import { safeMessage } from "./error-text.ts";
import { EvaluationFailure, failed, type EvaluationResult } from "./evaluation-result.ts";
import { lineColumn } from "./source-scan.ts";
import type { PreparedVariables } from "./variables.ts";

/** What a compiled program is made of; built by the compiler only. */
export interface ProgramParts {
  readonly context: ExpressionContext;
  readonly source: string;
  readonly variables: ReadonlySet<string>;
  readonly environment: ExpressionEnvironment;
  readonly evaluate: (bindings: Readonly<Record<string, CelValue>>) => CelResult;
  readonly positions: Readonly<Record<string, number>>;
  readonly costLimit: number;
}

/** How one run relates to the cost budget. */
export type BudgetMode = "fresh" | "continue";

/**
 * A checked, planned expression, immutable and shareable: evaluating it never changes it and
 * never throws. Obtain one from an expression compiler.
 */
export class CompiledExpression {
  /** The context the expression was checked against. */
  readonly context: ExpressionContext;
  /** The source text, as written. */
  readonly source: string;
  /** The declared variables it reads; evaluation fails when one of them is not provided. */
  readonly variables: ReadonlySet<string>;
  readonly #parts: ProgramParts;

  constructor(parts: ProgramParts) {
    this.context = parts.context;
    this.source = parts.source;
    this.variables = parts.variables;
    this.#parts = parts;
  }

  /**
   * Evaluates against prepared variables. With `fresh` the cost meter starts a full budget;
   * with `continue` the run spends what an earlier run of the same environment left (used by
   * templates, whose segments share one budget).
   */
  run(variables: PreparedVariables, budget: BudgetMode = "fresh"): EvaluationResult<CelValue> {
    for (const name of this.variables) {
      if (!variables.has(name)) {
        return failed(EvaluationFailure.MissingVariable, `variable '${name}' was not provided`);
      }
    }
    const { meter } = this.#parts.environment;
    if (budget === "fresh") meter.start(this.#parts.costLimit);
    const result = evaluateWithoutStacks(this.#parts.evaluate, variables.bindings());
    if (meter.exceeded) {
      return failed(
        EvaluationFailure.CostLimitExceeded,
        `evaluation exceeded the cost limit of ${this.#parts.costLimit} units`,
      );
    }
    if (isCelError(result)) {
      return failed(EvaluationFailure.EvaluationError, safeMessage(`${result.message}${this.#where(result.exprId)}`));
    }
    return { ok: true, value: result };
  }

  #where(exprId: bigint | undefined): string {
    const offset = exprId === undefined ? undefined : this.#parts.positions[exprId.toString()];
    return offset === undefined ? "" : ` at ${lineColumn(this.source, offset)}`;
  }
}

/**
 * Runs the engine with stack capture off. CEL errors are values (a missing key inside `exists`
 * may be absorbed by `||`), and capturing a JS stack for each one costs more than the rest of
 * the evaluation: with stacks off a loop that errors on every iteration stays cheap. Evaluation
 * is synchronous, so no other code observes the setting before it is restored.
 */
function evaluateWithoutStacks(
  evaluate: (bindings: Readonly<Record<string, CelValue>>) => CelResult,
  bindings: Readonly<Record<string, CelValue>>,
): CelResult {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return evaluate(bindings);
  } catch (error: unknown) {
    // The engine reports errors as values; this guards against one escaping as an exception.
    return celError(error);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
