import { isHumanClosedState, type HumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";

/** What the reconcile may do with an Incident, decided before anything else is looked at. */
export type GuardDecision =
  /** Being deleted: its Jobs go with it (ownerReferences); nothing to converge. */
  | { readonly kind: "ignore" }
  /** A person resolved or closed it: no new step starts; the summary records the state. */
  | { readonly kind: "finalize"; readonly state: HumanClosedState }
  /** Open or acknowledged: runs progress; new steps start only when `mayStart`. */
  | { readonly kind: "run"; readonly mayStart: boolean };

/** What the guards look at besides the Incident. */
export interface GuardInput {
  readonly incident: Incident;
  /** The operator-wide pause switch. */
  readonly paused: boolean;
}

/**
 * The guards of the Incident reconcile, in order: deletion (ignore), a human state of Resolved or
 * Closed (finalize), the global pause (run, but start nothing new). Per-Playbook `suspend` is
 * decided by triage, per run.
 */
export function decideGuards(input: GuardInput): GuardDecision {
  const { incident } = input;
  if (incident.metadata.deletionTimestamp !== undefined) {
    return { kind: "ignore" };
  }
  const state = incident.spec.state;
  if (isHumanClosedState(state)) return { kind: "finalize", state };
  return { kind: "run", mayStart: !input.paused };
}
