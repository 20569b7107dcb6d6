import { describe, expect, it } from "vitest";
import type { Connector, ConnectorSpec } from "../../api/v1alpha1/types.generated.ts";
import { connectorsReferencingSecret } from "./secret-references.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";

function connector(namespace: string, name: string, spec: ConnectorSpec): Connector {
  return { apiVersion: API_VERSION, kind: "Connector", metadata: { namespace, name }, spec };
}

const connectors = [
  connector("team-a", "slack", { type: "slack", urlSecretRef: { name: "slack-url", key: "url" } }),
  connector("team-a", "api", { type: "http", url: "https://api.example", auth: { type: "bearer", secretRef: { name: "api-token", key: "token" } } }),
  connector("team-a", "tls", { type: "http", url: "https://tls.example", tls: { caSecretRef: { name: "ca", key: "ca.crt" }, clientCertSecretRef: { name: "client" } } }),
  connector("team-a", "pd", { type: "pagerduty", pagerduty: { routingKeySecretRef: { name: "pd-key", key: "routingKey" } } }),
  connector("team-b", "slack", { type: "slack", urlSecretRef: { name: "slack-url", key: "url" } }),
];

describe("connectorsReferencingSecret", () => {
  it.each([
    { namespace: "team-a", secret: "slack-url", keys: ["team-a/slack"] },
    { namespace: "team-b", secret: "slack-url", keys: ["team-b/slack"] },
    { namespace: "team-a", secret: "api-token", keys: ["team-a/api"] },
    { namespace: "team-a", secret: "ca", keys: ["team-a/tls"] },
    { namespace: "team-a", secret: "client", keys: ["team-a/tls"] },
    { namespace: "team-a", secret: "pd-key", keys: ["team-a/pd"] },
    { namespace: "team-a", secret: "unrelated", keys: [] },
    { namespace: "team-c", secret: "slack-url", keys: [] },
  ])("Secret $namespace/$secret maps to $keys", ({ namespace, secret, keys }) => {
    expect(connectorsReferencingSecret(connectors, namespace, secret)).toEqual(keys);
  });
});
