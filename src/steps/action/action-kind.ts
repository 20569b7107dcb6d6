import { targetRef } from "../../actions/index.ts";
import { guardedStepKind } from "../effect-step.ts";
import { carryOutGuardedEffect } from "../effect-execution.ts";
import type { RunActionEffect } from "../step-effects.ts";
import type { EffectExecutor, StepKindDefinition } from "../step-kind.ts";
import { prepareActionStep } from "./action-step.ts";
import { runActionEffect } from "./run-action.ts";

const runAction: EffectExecutor<RunActionEffect> = {
  effect: "runAction",
  name: (effect) => effect.intentId,
  execute: (effect, state, context) => {
    const namespace = context.incident.metadata.namespace ?? "";
    const name = context.incident.metadata.name ?? "";
    const resources = context.incident.spec.resources;
    return carryOutGuardedEffect(effect, state, context, (logger) =>
      runActionEffect({
        effect,
        clients: context.calls.actionClients,
        protectedNodes: context.calls.protectedNodes,
        incident: { namespace, name, ...(resources === undefined ? {} : { resources }) },
        playbookNamespace: namespace,
        logger,
      }),
    );
  },
};

/** Action steps: a built-in action on a resolved target, guarded, idempotent under its intent id. */
export const actionStep: StepKindDefinition = guardedStepKind(({ step, rendered, incident, base }) => {
  const action = prepareActionStep(step, rendered, incident.spec.resources);
  if (!action.ok) return { error: action.message };
  return {
    effect: { kind: "runAction", ...base, action },
    subject: { kind: "action", action: action.type, target: action.target },
    what: `${action.type} on ${action.target.kind} ${targetRef(action.target)}`,
  };
}, runAction);
