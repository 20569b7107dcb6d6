import type { CoreV1Api } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { ActionClients } from "../../actions/index.ts";
import type { Connector, Incident, PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import type { ConnectorCaller } from "../../connectors/index.ts";
import { runActionEffect } from "../../steps/action/run-action.ts";
import { callConnectorEffect } from "../../steps/connector/call-connector.ts";
import type { CallConnectorEffect, RunActionEffect } from "../../steps/step-effects.ts";
import { applyEffectOutcome } from "../../steps/effect-outcome.ts";
import type { TimelineEvent } from "./timeline.ts";

/** What action and connector effects need from the operator. */
export interface CallDeps {
  readonly actionClients: ActionClients;
  readonly caller: ConnectorCaller;
  /** Reads the Connectors' Secrets at call time. */
  readonly core: CoreV1Api;
  /** The cached Connector of a namespace and name. */
  readonly connector: (namespace: string, name: string) => Connector | undefined;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * Carries out one action or connector effect and records its outcome in the step (see
 * `applyEffectOutcome`). Never throws for a failed action or call: failures are values.
 */
export async function runCallEffect(
  input: { readonly incident: Incident; readonly calls: CallDeps; readonly now: Date },
  effect: RunActionEffect | CallConnectorEffect,
  runs: readonly PlaybookRun[],
): Promise<{ state: StepState; event: TimelineEvent }> {
  const { incident, calls } = input;
  const namespace = incident.metadata.namespace ?? "";
  const name = incident.metadata.name ?? "";
  const logger = calls.logger.child({ incident: name, playbook: effect.playbook, step: effect.step, attempt: effect.attempt });
  const outcome =
    effect.kind === "runAction"
      ? await runActionEffect({
          effect,
          clients: calls.actionClients,
          incident: { namespace, name, ...(incident.spec.resources === undefined ? {} : { resources: incident.spec.resources }) },
          playbookNamespace: namespace,
          logger,
        })
      : await callConnectorEffect({
          effect,
          namespace,
          connector: calls.connector(namespace, effect.connector),
          caller: calls.caller,
          core: calls.core,
          incident: { namespace, name, title: incident.spec.title, severity: incident.spec.severity },
          signal: calls.signal,
        });
  const state = runs.find((run) => run.name === effect.playbook)?.steps?.find((step) => step.name === effect.step) ?? { name: effect.step, phase: "Running" as const };
  const applied = applyEffectOutcome(state, outcome, effect.retry, input.now);
  logger.info({ ok: outcome.ok, reason: outcome.ok ? undefined : outcome.reason, phase: applied.state.phase }, "step effect finished");
  return { state: applied.state, event: { ...applied.event, playbook: effect.playbook, step: effect.step } };
}
