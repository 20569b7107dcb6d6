import type { ConnectorSpec } from "../../api/v1alpha1/types.generated.ts";
import type { BodyContext, ConnectorTypeDefinition, PreparedBody } from "../connector-type.ts";
import { connectorFailure, type ConnectorFailure } from "../connector-failure.ts";
import { notifyEnvelope } from "../notify-envelope.ts";
import { parsedBody, unknownParams } from "../payload-body.ts";
import { jsonOutputs } from "../response-outputs.ts";

/** The body of an http or webhook call: the rendered JSON body, or the notify envelope. */
export function genericBody(type: string, context: BodyContext): PreparedBody | ConnectorFailure {
  const { payload, spec } = context;
  const invalidParams = unknownParams(type, payload, []);
  if (invalidParams !== undefined) return invalidParams;
  const body = payload.kind === "message" ? notifyEnvelope(payload.message, context.incident) : payload.body;
  if (body === undefined) return { ok: true };
  if (spec.method === "GET") return connectorFailure("InvalidRequest", `connector.body: a ${type} Connector with method GET sends no body`);
  const parsed = parsedBody(body);
  return parsed.ok ? { ok: true, body } : parsed;
}

/** The URL check shared by the types that need one: `url` or `urlSecretRef` is set. */
export function checkUrl(spec: ConnectorSpec): string | undefined {
  return spec.url === undefined && spec.urlSecretRef === undefined ? "spec.url: required (or spec.urlSecretRef)" : undefined;
}

/**
 * `http`: sends the step's rendered JSON body (or, for notify, `{message, incident}`) with the
 * spec's method, URL and headers; the answer's top-level JSON fields become outputs.
 */
export const httpConnector: ConnectorTypeDefinition = {
  checkSpec: checkUrl,
  prepareBody: (context) => Promise.resolve(genericBody("http", context)),
  outputs: jsonOutputs,
};
