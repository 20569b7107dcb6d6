import { boundText, MAX_MESSAGE_LENGTH, MAX_PLAYBOOK_WARNINGS } from "../../api/v1alpha1/bounds.ts";
import { ConditionType } from "../../api/v1alpha1/constants.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import { formatFieldError, PlaybookReason, type CompiledPlaybook, type PlaybookProblem, type StepKind } from "../../playbook/index.ts";
import type { TenancyVerdict } from "../../policy/index.ts";
import type { DesiredCondition } from "../conditions.ts";

/** What readiness looks up besides the compiled Playbook. */
export interface ReadinessInput {
  readonly playbook: CompiledPlaybook;
  /** Step kinds this operator can execute. */
  readonly stepKinds: ReadonlySet<StepKind>;
  readonly connectorExists: (name: string) => boolean;
  readonly serviceAccountExists: (name: string) => boolean;
  /** Whether the operator may run the Playbook's Job and action steps (see `verifyTenancy`). */
  readonly tenancy: TenancyVerdict;
}

/** Every problem of the Playbook and the conditions that report them, and its warnings. */
export interface Readiness {
  readonly problems: readonly PlaybookProblem[];
  readonly conditions: readonly DesiredCondition[];
  /** `status.warnings`: each warning as `field: message`, bounded in count and length. */
  readonly warnings: readonly string[];
}

/** Most problems spelled out in the Ready message; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 5;

const specReasons: ReadonlySet<string> = new Set([
  PlaybookReason.InvalidExpression,
  PlaybookReason.InvalidStepGraph,
  PlaybookReason.InvalidSpec,
  PlaybookReason.StepKindUnavailable,
]);

function referenceProblems(input: ReadinessInput): PlaybookProblem[] {
  const { playbook } = input;
  const problems: PlaybookProblem[] = [];
  for (const step of playbook.steps) {
    if (step.kind !== undefined && !input.stepKinds.has(step.kind)) {
      problems.push({
        field: `spec.steps[${step.index}].${step.kind}`,
        message: `step kind "${step.kind}" is not available in this version of kube-soar (available: ${[...input.stepKinds].join(", ")})`,
        reason: PlaybookReason.StepKindUnavailable,
      });
    }
  }
  for (const ref of playbook.connectorRefs) {
    if (!input.connectorExists(ref.name)) {
      problems.push({ field: ref.field, message: `Connector "${ref.name}" not found in namespace ${playbook.namespace}`, reason: PlaybookReason.ConnectorNotFound });
    }
  }
  for (const ref of playbook.serviceAccountRefs) {
    if (!input.serviceAccountExists(ref.name)) {
      problems.push({
        field: ref.field,
        message: `ServiceAccount "${ref.name}" not found in namespace ${playbook.namespace}`,
        reason: PlaybookReason.ServiceAccountNotFound,
      });
    }
  }
  if (!input.tenancy.verified) problems.push({ field: input.tenancy.field, message: input.tenancy.message, reason: PlaybookReason.TenancyUnverified });
  return problems;
}

function warningEntries(playbook: CompiledPlaybook): string[] {
  const all = playbook.warnings.map((warning) => boundText(formatFieldError(warning), MAX_MESSAGE_LENGTH));
  if (all.length <= MAX_PLAYBOOK_WARNINGS) return all;
  const listed = all.slice(0, MAX_PLAYBOOK_WARNINGS - 1);
  return [...listed, `and ${all.length - listed.length} more warning(s)`];
}

function readyMessage(problems: readonly PlaybookProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatFieldError).join("; ");
  const rest = problems.length - MAX_LISTED_PROBLEMS;
  return rest > 0 ? `${listed}; and ${rest} more problem(s)` : listed;
}

/**
 * Decides whether a Playbook is Ready, as a pure function: compile problems first (invalid
 * expressions, step graph, spec), then step kinds this operator cannot execute, then missing
 * Connectors and ServiceAccounts, then Job and action steps the tenancy policy did not vouch for. Ready=False takes the reason of the first problem and a
 * message naming each field (`spec.steps[2].when: undeclared reference to 'evnt' ...`);
 * Stalled=True when only a spec change can help (not for a missing Connector or
 * ServiceAccount, which creating the object fixes, nor for TenancyUnverified, which installing
 * the policy binding and re-applying fixes); Reconciling is False (compilation is
 * synchronous). The compiled Playbook's warnings are listed apart and never change the
 * conditions.
 */
export function playbookReadiness(input: ReadinessInput): Readiness {
  const problems = [...input.playbook.problems, ...referenceProblems(input)];
  const warnings = warningEntries(input.playbook);
  const [first] = problems;
  if (first === undefined) {
    const steps = input.playbook.steps.length;
    const message = `compiled ${steps} step(s), run ${input.playbook.graph?.mode === "dag" ? "as a graph of needs" : "in order"}`;
    return {
      problems,
      warnings,
      conditions: [
        { type: ConditionType.Ready, status: "True", reason: Reason.Succeeded, message },
        { type: ConditionType.Reconciling, status: "False", reason: Reason.Succeeded, message },
        { type: ConditionType.Stalled, status: "False", reason: Reason.Succeeded, message },
      ],
    };
  }
  const message = readyMessage(problems);
  const stalled = problems.some((problem) => specReasons.has(problem.reason));
  return {
    problems,
    warnings,
    conditions: [
      { type: ConditionType.Ready, status: "False", reason: first.reason, message },
      { type: ConditionType.Reconciling, status: "False", reason: first.reason, message },
      { type: ConditionType.Stalled, status: stalled ? "True" : "False", reason: first.reason, message },
    ],
  };
}
