import { guardedStepKind, type PrepareEffect } from "../effect-step.ts";
import { carryOutGuardedEffect } from "../effect-execution.ts";
import type { CallConnectorEffect } from "../step-effects.ts";
import type { EffectExecutor, StepKindDefinition } from "../step-kind.ts";
import { callConnectorEffect } from "./call-connector.ts";
import { prepareCallStep } from "./connector-step.ts";

const callConnector: EffectExecutor<CallConnectorEffect> = {
  effect: "callConnector",
  name: (effect) => effect.intentId,
  execute: (effect, state, context) => {
    const { incident, calls } = context;
    const namespace = incident.metadata.namespace ?? "";
    const name = incident.metadata.name ?? "";
    const connector = calls.connector(namespace, effect.connector);
    return carryOutGuardedEffect(effect, state, context, () =>
      callConnectorEffect({
        effect,
        namespace,
        connector,
        tenancy: connector === undefined ? { verified: true } : calls.connectorTenancy(connector),
        caller: calls.caller,
        core: calls.core,
        incident: { namespace, name, title: incident.spec.title, severity: incident.spec.severity },
        signal: calls.signal,
      }),
    );
  },
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
