import type { ConnectorTypeDefinition } from "../connector-type.ts";
import { checkUrl, genericBody } from "../http/http-connector.ts";
import { jsonOutputs } from "../response-outputs.ts";

/**
 * `webhook`: as `http`, and every request is signed: the auth header carries
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the key from `auth.secretRef`,
 * so the receiver can check origin, integrity and freshness. Requires `auth.type: hmac`.
 */
export const webhookConnector: ConnectorTypeDefinition = {
  checkSpec(spec) {
    if (spec.auth?.type !== "hmac") return "spec.auth.type: a webhook Connector signs its calls: set auth.type hmac, auth.header and auth.secretRef";
    return checkUrl(spec);
  },
  prepareBody: (context) => Promise.resolve(genericBody("webhook", context)),
  outputs: jsonOutputs,
};
