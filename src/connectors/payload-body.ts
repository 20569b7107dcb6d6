import type { ConnectorPayload } from "./connector-contract.ts";
import { connectorFailure, type ConnectorFailure } from "./connector-failure.ts";

/** Parses a rendered body; a body that is not JSON is refused naming the field. */
export function parsedBody(body: string): { ok: true; value: unknown } | ConnectorFailure {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return connectorFailure("InvalidRequest", "connector.body: the rendered body is not valid JSON");
  }
}

/** The params of a `connector` payload; a `notify` payload has none. */
export function payloadParams(payload: ConnectorPayload): Readonly<Record<string, string>> {
  return payload.kind === "body" ? payload.params : {};
}

/** Refuses params the connector type does not know, by name. */
export function unknownParams(type: string, payload: ConnectorPayload, allowed: readonly string[]): ConnectorFailure | undefined {
  const unknown = Object.keys(payloadParams(payload)).filter((name) => !allowed.includes(name));
  if (unknown.length === 0) return undefined;
  const accepted = allowed.length === 0 ? "it takes none" : `accepted: ${allowed.join(", ")}`;
  return connectorFailure("InvalidRequest", `connector.params.${unknown.join(", connector.params.")}: unknown parameter for a ${type} Connector (${accepted})`);
}
