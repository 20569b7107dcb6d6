import type { CoreV1Api } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { ActionClients } from "../actions/index.ts";
import type { LabelSelector } from "../api/label-selector.ts";
import type { Connector, StepState } from "../api/v1alpha1/types.generated.ts";
import type { ConnectorCaller } from "../connectors/index.ts";
import type { TenancyVerdict } from "../policy/index.ts";
import { applyEffectOutcome } from "./effect-outcome.ts";
import type { CallConnectorEffect, EffectOutcome, RunActionEffect } from "./step-effects.ts";
import type { ExecuteContext, ExecutedEffect } from "./step-kind.ts";

/** What action, connector and notify effects need from the operator. */
export interface EffectDeps {
  readonly actionClients: ActionClients;
  /** Nodes no action may change (`--protected-node-selector`); undefined when none is. */
  readonly protectedNodes: LabelSelector | undefined;
  readonly caller: ConnectorCaller;
  /** Reads the Connectors' Secrets at call time. */
  readonly core: CoreV1Api;
  /** The cached Connector of a namespace and name. */
  readonly connector: (namespace: string, name: string) => Connector | undefined;
  /** Whether the operator may use the Connector's Secrets (see `verifyTenancy`); checked before every call. */
  readonly connectorTenancy: (connector: Connector) => TenancyVerdict;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * Carries out one action, connector or notify effect through `run` and records its outcome in
 * the step (see `applyEffectOutcome`). Never throws for a failed action or call: failures are
 * values, and the side effect counts as carried out either way.
 */
export async function carryOutGuardedEffect(
  effect: RunActionEffect | CallConnectorEffect,
  state: StepState,
  context: ExecuteContext,
  run: (logger: Logger) => Promise<EffectOutcome>,
): Promise<ExecutedEffect> {
  const name = context.incident.metadata.name ?? "";
  const logger = context.calls.logger.child({ incident: name, playbook: effect.playbook, step: effect.step, attempt: effect.attempt });
  const outcome = await run(logger);
  const applied = applyEffectOutcome(state, outcome, effect.retry, context.now);
  logger.info({ ok: outcome.ok, reason: outcome.ok ? undefined : outcome.reason, phase: applied.state.phase }, "step effect finished");
  return { state: applied.state, event: applied.event, carriedOut: true };
}
