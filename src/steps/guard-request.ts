import type { ResolvedTarget } from "../actions/index.ts";
import type { StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledPlaybook, CompiledStep } from "../playbook/index.ts";
import type { GuardedGraphNode, GuardedPlaybook, GuardedStep, GuardInput, GuardPolicy } from "../policy/index.ts";

/** The step about to take its side effect, as the guard chain sees it. */
export type GuardSubject =
  | { readonly kind: "action"; readonly action: Extract<GuardedStep, { kind: "action" }>["action"]; readonly target: ResolvedTarget }
  | { readonly kind: "connector" | "notify" };

function guardedPlaybook(playbook: CompiledPlaybook): GuardedPlaybook {
  return { namespace: playbook.namespace, name: playbook.name, dryRun: playbook.dryRun };
}

/**
 * The steps of the run as the approval guard walks them: each step's effective dependencies
 * (declared `needs`, or the previous step when the Playbook runs in order) and, for approval
 * steps, the decision recorded in the run's status.
 */
export function guardedGraph(playbook: CompiledPlaybook, states: ReadonlyMap<string, StepState>): GuardedGraphNode[] {
  return playbook.steps.map((step) => {
    const needs = playbook.graph?.dependencies.get(step.name) ?? step.spec.needs ?? [];
    if (step.kind !== "approval") return { name: step.name, needs };
    const decision = states.get(step.name)?.decision?.decision;
    return { name: step.name, needs, approval: decision === undefined ? {} : { decision } };
  });
}

/**
 * Everything the guard chain decides on for one step: the operator's policy, the Playbook, the
 * step (its action and target for an action step) and the run's graph with the approval
 * decisions taken so far. Pure.
 */
export function guardInputFor(args: {
  readonly policy: GuardPolicy;
  readonly playbook: CompiledPlaybook;
  readonly step: CompiledStep;
  readonly subject: GuardSubject;
  readonly states: ReadonlyMap<string, StepState>;
}): GuardInput {
  const { subject } = args;
  const step: GuardedStep =
    subject.kind === "action"
      ? {
          name: args.step.name,
          kind: "action",
          action: subject.action,
          target: { kind: subject.target.kind, name: subject.target.name, ...(subject.target.namespace === undefined ? {} : { namespace: subject.target.namespace }) },
        }
      : { name: args.step.name, kind: subject.kind };
  return {
    policy: args.policy,
    playbook: guardedPlaybook(args.playbook),
    step,
    graph: guardedGraph(args.playbook, args.states),
  };
}
