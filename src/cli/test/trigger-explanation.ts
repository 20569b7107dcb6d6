import { compareSeverity } from "../../api/v1alpha1/constants.ts";
import { evaluateBool, evaluateString } from "../../expr/index.ts";
import type { MatchInput } from "../../ingest/match/matcher-index.ts";
import type { CompiledPlaybook } from "../../playbook/index.ts";
import { playbookMaySeeAlert } from "../../policy/index.ts";

/** One criterion of matching and how the alert fared on it. */
export interface TriggerCheck {
  readonly criterion: "namespace" | "suspend" | "types" | "sources" | "minSeverity" | "when";
  readonly passed: boolean;
  readonly detail: string;
}

function listed(values: ReadonlySet<string>): string {
  return [...values].map((value) => JSON.stringify(value)).join(", ");
}

/**
 * Each criterion the matcher applies to the alert, in the matcher's order, with why it passed
 * or failed: whether the Playbook may see the alert (its namespace), whether it is suspended,
 * then the trigger's types, sources, minSeverity and `when`. An explanation of the matcher's
 * verdict, which `PlaybookIndex` itself decides; criteria the Playbook does not set are left out.
 */
export function explainTrigger(playbook: CompiledPlaybook, input: MatchInput, operatorNamespace: string): TriggerCheck[] {
  const checks: TriggerCheck[] = [];
  const sees = playbookMaySeeAlert(playbook.namespace, input.namespace, operatorNamespace);
  checks.push({
    criterion: "namespace",
    passed: sees,
    detail: playbook.namespace === operatorNamespace
      ? `the Playbook is in the operator's namespace ${operatorNamespace}, which sees every alert`
      : `the alert is about namespace ${input.namespace === undefined ? "(none)" : JSON.stringify(input.namespace)}; a Playbook in ${JSON.stringify(playbook.namespace)} sees only alerts about its own namespace`,
  });
  if (playbook.suspend) checks.push({ criterion: "suspend", passed: false, detail: "the Playbook is suspended" });
  const { trigger } = playbook;
  if (trigger.types !== undefined) {
    checks.push({ criterion: "types", passed: trigger.types.has(input.type), detail: `type ${JSON.stringify(input.type)}; the trigger takes ${listed(trigger.types)}` });
  }
  if (trigger.sources !== undefined) {
    checks.push({ criterion: "sources", passed: trigger.sources.has(input.source), detail: `source ${JSON.stringify(input.source)}; the trigger takes ${listed(trigger.sources)}` });
  }
  if (trigger.minSeverity !== undefined) {
    checks.push({
      criterion: "minSeverity",
      passed: compareSeverity(input.severity, trigger.minSeverity) >= 0,
      detail: `severity ${input.severity}; the trigger takes ${trigger.minSeverity} and above`,
    });
  }
  if (trigger.when !== undefined) {
    const result = evaluateBool(trigger.when, { event: input.event });
    checks.push({
      criterion: "when",
      passed: result.ok && result.value,
      detail: result.ok ? `${trigger.when.source} is ${String(result.value)}` : `${trigger.when.source} could not be evaluated: ${result.message}`,
    });
  }
  return checks;
}

/** Why a dedup key did not evaluate (the alert then folds by its fingerprint), or undefined. */
export function dedupKeyProblem(playbook: CompiledPlaybook, input: MatchInput): string | undefined {
  if (playbook.dedup.key === undefined) return undefined;
  const result = evaluateString(playbook.dedup.key, { event: input.event });
  if (!result.ok) return result.message;
  return result.value === "" ? "the key is empty" : undefined;
}
