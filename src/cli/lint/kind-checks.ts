import { Kind } from "../../api/v1alpha1/constants.ts";
import type { Connector, Playbook } from "../../api/v1alpha1/types.generated.ts";
import { specProblem } from "../../connectors/spec-check.ts";
import type { ExpressionCompiler } from "../../expr/index.ts";
import { compilePlaybook } from "../../playbook/index.ts";

/** A finding of a kind's own checks, located by the field path it names. */
export interface KindFinding {
  readonly severity: "error" | "warning";
  readonly field: string;
  readonly message: string;
}

/** What a kind's checks use. */
export interface KindCheckContext {
  readonly expressions: ExpressionCompiler;
}

/** The checks of one kind beyond its schema. */
export interface KindCheck {
  /**
   * `well-typed`: run when the schema found no wrong type and no missing required field (the
   * object has the shape its TypeScript type says), so its findings come with the schema's;
   * `valid`: run only when the schema found nothing, for checks that mostly repeat its rules.
   */
  readonly runsOn: "well-typed" | "valid";
  readonly check: (object: Readonly<Record<string, unknown>>, context: KindCheckContext) => KindFinding[];
}

/**
 * The operator's own compiler: every problem that keeps the Playbook from being Ready (CEL in
 * trigger, dedup and `when`, `${{ }}` templates, durations, the step graph), and its warnings (a
 * `${{ }}` run as shell code), which never fail lint.
 */
function playbookCheck(object: Readonly<Record<string, unknown>>, context: KindCheckContext): KindFinding[] {
  const compiled = compilePlaybook(object as unknown as Playbook, context.expressions);
  return [
    ...compiled.problems.map((problem) => ({ severity: "error" as const, field: problem.field, message: problem.message })),
    ...compiled.warnings.map((warning) => ({ severity: "warning" as const, field: warning.field, message: warning.message })),
  ];
}

/** The Connector checks the operator runs before every call (`specProblem`), beyond the schema. */
function connectorCheck(object: Readonly<Record<string, unknown>>): KindFinding[] {
  const problem = specProblem((object as unknown as Connector).spec);
  if (problem === undefined) return [];
  const separator = problem.indexOf(": ");
  return separator === -1
    ? [{ severity: "error", field: "spec", message: problem }]
    : [{ severity: "error", field: problem.slice(0, separator), message: problem.slice(separator + 2) }];
}

/**
 * The checks each kind has beyond its schema. Kinds without an entry (Incident, and any kind
 * added to the API later) are checked by their schema alone.
 */
export const KIND_CHECKS: Readonly<Partial<Record<string, KindCheck>>> = {
  [Kind.Playbook]: { runsOn: "well-typed", check: playbookCheck },
  [Kind.Connector]: { runsOn: "valid", check: connectorCheck },
};
