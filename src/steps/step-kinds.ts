import type { StepKind } from "../playbook/index.ts";
import { actionStep } from "./action/action-kind.ts";
import { approvalStep } from "./approval/approval-step.ts";
import { connectorStep, notifyStep } from "./connector/connector-kind.ts";
import { jobStep } from "./job/job-step.ts";
import type { StepEffect } from "./step-effects.ts";
import type { EffectExecutor, StepKindDefinition } from "./step-kind.ts";

/** Every step kind the engine runs, by the name a Playbook gives it. */
export const STEP_KINDS: Readonly<Record<StepKind, StepKindDefinition>> = {
  job: jobStep,
  approval: approvalStep,
  action: actionStep,
  connector: connectorStep,
  notify: notifyStep,
};

/**
 * The step kinds this version of kube-soar executes: every kind with a definition. A Playbook
 * with a kind outside this set would be reported not Ready with reason StepKindUnavailable
 * rather than half-run; today the compiler already rejects unknown kinds.
 */
export const EXECUTABLE_STEP_KINDS: ReadonlySet<StepKind> = new Set(Object.keys(STEP_KINDS) as StepKind[]);

/** The guarded kinds: the guard chain runs before their side effects, and their intents go through the intent ledger. */
export const EFFECT_STEP_KINDS: ReadonlySet<StepKind> = new Set((Object.keys(STEP_KINDS) as StepKind[]).filter((kind) => STEP_KINDS[kind].guarded));

const executors: ReadonlyMap<StepEffect["kind"], EffectExecutor> = new Map(
  Object.values(STEP_KINDS).flatMap((kind) => (kind.executor === undefined ? [] : [[kind.executor.effect, kind.executor] as const])),
);

/** The executor of an effect, from the step kind that plans it. */
export function executorOf(effect: StepEffect): EffectExecutor {
  const executor = executors.get(effect.kind);
  if (executor === undefined) throw new TypeError(`no step kind carries out ${effect.kind} effects`);
  return executor;
}
