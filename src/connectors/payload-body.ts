import { joinRendered } from "../expr/index.ts";
import type { ConnectorPayload, PayloadText } from "./connector-contract.ts";
import { connectorFailure, type ConnectorFailure } from "./connector-failure.ts";

/** Parses a rendered body; a body that is not JSON is refused naming the field. */
export function parsedBody(body: string): { ok: true; value: unknown } | ConnectorFailure {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return connectorFailure("InvalidRequest", "connector.body: the rendered body is not valid JSON");
  }
}

/**
 * The payload as text for a connector type: each value inserted by `${{ }}` into the body or
 * message passes through `escapeInserted` (the type's markup escaping), unless the step opted
 * out with `rawMarkup` or the type has no markup.
 */
export function payloadText(payload: ConnectorPayload, escapeInserted: ((value: string) => string) | undefined): PayloadText {
  const insert = payload.rawMarkup ? undefined : escapeInserted;
  if (payload.kind === "message") return { kind: "message", message: joinRendered(payload.message, insert) };
  return { kind: "body", params: payload.params, ...(payload.body === undefined ? {} : { body: joinRendered(payload.body, insert) }) };
}

/** The params of a `connector` payload; a `notify` payload has none. */
export function payloadParams(payload: PayloadText): Readonly<Record<string, string>> {
  return payload.kind === "body" ? payload.params : {};
}

/** Refuses params the connector type does not know, by name. */
export function unknownParams(type: string, payload: PayloadText, allowed: readonly string[]): ConnectorFailure | undefined {
  const unknown = Object.keys(payloadParams(payload)).filter((name) => !allowed.includes(name));
  if (unknown.length === 0) return undefined;
  const accepted = allowed.length === 0 ? "it takes none" : `accepted: ${allowed.join(", ")}`;
  return connectorFailure("InvalidRequest", `connector.params.${unknown.join(", connector.params.")}: unknown parameter for a ${type} Connector (${accepted})`);
}
