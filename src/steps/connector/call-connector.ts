import type { CoreV1Api } from "@kubernetes/client-node";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { Connector } from "../../api/v1alpha1/types.generated.ts";
import type { TenancyVerdict } from "../../policy/index.ts";
import { createSecretResolver, type ConnectorCaller, type ConnectorIncident } from "../../connectors/index.ts";
import type { CallConnectorEffect, EffectOutcome } from "../step-effects.ts";

/**
 * Calls the Connector of an effect and reports the outcome as a value; never throws. The call
 * carries the effect's intent id as `Idempotency-Key` (the same on retries inside the call and
 * on a repeat of the same attempt) and resolves the Connector's Secrets at call time, in the
 * Connector's namespace only. A missing Connector fails with reason ConnectorNotFound, one whose
 * Secrets the tenancy policy did not vouch for with TenancyUnverified (nothing is sent).
 */
export async function callConnectorEffect(args: {
  readonly effect: CallConnectorEffect;
  readonly namespace: string;
  readonly connector: Connector | undefined;
  /** Whether the operator may use the Connector's Secrets; a refusal sends nothing. */
  readonly tenancy: TenancyVerdict;
  readonly caller: ConnectorCaller;
  readonly core: CoreV1Api;
  readonly incident: ConnectorIncident;
  readonly signal: AbortSignal;
}): Promise<EffectOutcome> {
  const { effect, connector } = args;
  if (connector === undefined) {
    return { ok: false, reason: Reason.ConnectorNotFound, message: `Connector ${args.namespace}/${effect.connector} does not exist`, retryable: true };
  }
  if (!args.tenancy.verified) {
    const { reason, field, message } = args.tenancy;
    return { ok: false, reason, message: `Connector ${args.namespace}/${effect.connector}: ${field}: ${message}`, retryable: false };
  }
  const result = await args.caller.call({
    connector: { namespace: args.namespace, name: effect.connector, spec: connector.spec },
    secrets: createSecretResolver(args.core, args.namespace),
    payload: effect.payload,
    incident: args.incident,
    idempotencyKey: effect.intentId,
    signal: args.signal,
  });
  if (!result.ok) return { ok: false, reason: result.reason, message: result.message, retryable: result.retryable };
  const outputs = { status: String(result.status), attempts: String(result.attempts), ...result.outputs };
  return { ok: true, message: `Connector ${effect.connector} answered HTTP ${result.status} after ${result.attempts} request(s)`, outputs };
}
