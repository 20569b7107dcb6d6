import { guardedStepKind, type PrepareEffect } from "../effect-step.ts";
import { carryOutGuardedEffect } from "../effect-execution.ts";
import type { CallConnectorEffect } from "../step-effects.ts";
import type { EffectExecutor, StepKindDefinition } from "../step-kind.ts";
import { callConnectorFor } from "./call-connector.ts";
import { prepareCallStep } from "./connector-step.ts";

const callConnector: EffectExecutor<CallConnectorEffect> = {
  effect: "callConnector",
  name: (effect) => effect.intentId,
  execute: (effect, state, context) => carryOutGuardedEffect(effect, state, context, () => callConnectorFor(effect, context.incident, context.calls)),
};

function prepareCall(subject: "connector" | "notify"): PrepareEffect {
  return ({ step, rendered, variables, base }) => {
    const call = prepareCallStep(step, rendered, variables);
    if (!call.ok) return { error: call.message };
    return {
      effect: { kind: "callConnector", ...base, connector: call.connector, payload: call.payload },
      subject: { kind: subject },
      what: `call of Connector ${call.connector}`,
    };
  };
}

/** Connector steps: an HTTP call through a Connector, guarded; repeated only with `safeToRetry`. */
export const connectorStep: StepKindDefinition = guardedStepKind(prepareCall("connector"), callConnector);

/** Notify steps: a message through a Connector; a connector call with a message payload. */
export const notifyStep: StepKindDefinition = guardedStepKind(prepareCall("notify"), callConnector);
