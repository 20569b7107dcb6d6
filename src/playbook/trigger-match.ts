import { compareSeverity } from "../api/v1alpha1/constants.ts";
import type { Severity } from "../api/v1alpha1/types.generated.ts";
import { evaluateBool, type EvaluationVariables } from "../expr/index.ts";
import type { CompiledTrigger } from "./compiled-playbook.ts";

/** What a trigger is matched against: the CloudEvent attributes and the `event` CEL sees. */
export interface TriggerInput {
  readonly type: string;
  readonly source: string;
  readonly severity: Severity;
  /** Variables for `when`: `{ event }`, plain or prepared once for many Playbooks. */
  readonly variables: EvaluationVariables;
}

/**
 * Whether an event matches a compiled trigger: its type and source are in the trigger's sets
 * (when given), its severity is at least `minSeverity` (when given), and `when` evaluates to
 * true. An evaluation failure (a missing key, the cost limit, a non-bool result) is no match.
 */
export function triggerMatches(trigger: CompiledTrigger, input: TriggerInput): boolean {
  if (trigger.types !== undefined && !trigger.types.has(input.type)) return false;
  if (trigger.sources !== undefined && !trigger.sources.has(input.source)) return false;
  if (trigger.minSeverity !== undefined && compareSeverity(input.severity, trigger.minSeverity) < 0) return false;
  if (trigger.when === undefined) return true;
  const result = evaluateBool(trigger.when, input.variables);
  return result.ok && result.value;
}
