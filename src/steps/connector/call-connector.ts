import type { CoreV1Api } from "@kubernetes/client-node";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { Connector, Incident } from "../../api/v1alpha1/types.generated.ts";
import type { TenancyVerdict } from "../../policy/index.ts";
import { createSecretResolver, type ConnectorCaller, type ConnectorIncident } from "../../connectors/index.ts";
import type { EffectDeps } from "../effect-execution.ts";
import type { CallConnectorEffect, EffectOutcome } from "../step-effects.ts";

/**
 * What one connector call of an Incident sends: the Connector's name (in the Incident's
 * namespace), the payload, and the intent id it is recorded under, sent as its Idempotency-Key.
 */
export type IncidentConnectorCall = Pick<CallConnectorEffect, "connector" | "payload" | "intentId">;

/**
 * Calls the Connector of an effect and reports the outcome as a value; never throws. The call
 * carries the effect's intent id as `Idempotency-Key` (the same on retries inside the call and
 * on a repeat of the same attempt) and resolves the Connector's Secrets at call time, in the
 * Connector's namespace only. A missing Connector fails with reason ConnectorNotFound, one whose
 * Secrets the tenancy policy did not vouch for with TenancyUnverified (nothing is sent).
 */
export async function callConnectorEffect(args: {
  readonly effect: IncidentConnectorCall;
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

/**
 * Calls a Connector about `incident`, as connector and notify steps and escalation levels do:
 * the cached Connector of the Incident's namespace, checked by the tenancy policy, with its
 * Secrets read at call time; see {@link callConnectorEffect} for the outcome. Never throws.
 */
export function callConnectorFor(call: IncidentConnectorCall, incident: Incident, calls: EffectDeps): Promise<EffectOutcome> {
  const namespace = incident.metadata.namespace ?? "";
  const name = incident.metadata.name ?? "";
  const connector = calls.connector(namespace, call.connector);
  return callConnectorEffect({
    effect: call,
    namespace,
    connector,
    tenancy: connector === undefined ? { verified: true } : calls.connectorTenancy(connector),
    caller: calls.caller,
    core: calls.core,
    incident: { namespace, name, title: incident.spec.title, severity: incident.spec.severity },
    signal: calls.signal,
  });
}
