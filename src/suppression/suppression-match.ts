import { evaluateBool, type EvaluationVariables } from "../expr/index.ts";
import type { CompiledSuppression } from "./compiled-suppression.ts";

/** What a suppression's criteria are matched against. */
export interface SuppressionInput {
  /** CloudEvent type. */
  readonly type: string;
  /** Falco rule or Alertmanager alert name; undefined when the alert has neither. */
  readonly rule: string | undefined;
  /** Affected namespace; undefined when the alert names none. */
  readonly namespace: string | undefined;
  /** `{ event }` for `match`, prepared once per alert; undefined when CEL cannot represent the event. */
  readonly variables: EvaluationVariables | undefined;
}

/**
 * Whether an alert meets every criterion of a suppression: its type, rule and namespace in the
 * suppression's lists (when given; an absent rule or namespace is in no list), and `match`
 * true. An evaluation failure of `match` (a missing key, the cost limit, a non-bool result, an
 * event CEL cannot represent) is no match: a suppression never silences what it cannot judge.
 * Does not look at expiry or problems (see `suppressionState`).
 */
export function suppressionMatches(suppression: CompiledSuppression, input: SuppressionInput): boolean {
  if (suppression.types !== undefined && !suppression.types.has(input.type)) return false;
  if (suppression.rules !== undefined && (input.rule === undefined || !suppression.rules.has(input.rule))) return false;
  if (suppression.namespaces !== undefined && (input.namespace === undefined || !suppression.namespaces.has(input.namespace))) return false;
  if (suppression.match === undefined) return true;
  if (input.variables === undefined) return false;
  const result = evaluateBool(suppression.match, input.variables);
  return result.ok && result.value;
}
