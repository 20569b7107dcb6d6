/**
 * Connector calls (http, slack, pagerduty, webhook) with credentials and TLS material from
 * Secrets read at call time, retries honouring Retry-After, a stable Idempotency-Key, pooled
 * keep-alive connections and every destination address checked against the operator's
 * destination policy; plus the Connector's Ready condition.
 */
export { createConnectorCaller, type ConnectorCaller, type ConnectorCallerOptions } from "./call-connector.ts";
export type {
  ConnectorCallContext,
  ConnectorCallResult,
  ConnectorCallSuccess,
  ConnectorIncident,
  ConnectorPayload,
  PayloadText,
  ConnectorRef,
} from "./connector-contract.ts";
export type { ConnectorFailure, ConnectorFailureReason } from "./connector-failure.ts";
export {
  connectorReadiness,
  connectorSecretRequirements,
  evaluateConnectorReady,
  observeConnectorSecrets,
  type ConnectorReadiness,
  type ObservedSecret,
  type SecretRequirement,
} from "./connector-ready.ts";
export { createAgentPool, type AgentPool, type TlsMaterial } from "./agent-pool.ts";
export { connectorIdempotencyKey } from "./idempotency-key.ts";
export { renderJsonBody } from "./json-body.ts";
export { credentialText } from "./credentials.ts";
export { createSecretResolver, type SecretKeyLookup, type SecretLookupFailure, type SecretResolver } from "./secret-resolver.ts";
export { signatureHeader, verifySignatureHeader } from "./webhook-signature.ts";
export { pagerDutyDedupKey } from "./pagerduty/pagerduty-connector.ts";
export { checkedLookup, DestinationRefusedError, ipLiteralHost, systemResolver, type ResolvedAddress, type Resolver } from "./checked-lookup.ts";
export { discoverProtectedAddresses, operatorDestinationPolicy, type ProtectedAddressSources } from "./protected-addresses.ts";
