import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import { connectorReadiness, connectorSecretRequirements, type ObservedSecret } from "./connector-ready.ts";

const full: ConnectorSpec = {
  type: "http",
  url: "https://x.example",
  auth: { type: "bearer", secretRef: { name: "creds", key: "token" } },
  tls: { caSecretRef: { name: "ca", key: "ca.crt" }, clientCertSecretRef: { name: "client" } },
};

const present = (keys: string[], type = "Opaque"): ObservedSecret => ({ state: "present", type, keys });

describe("connectorReadiness", () => {
  it("lists every referenced Secret", () => {
    expect(connectorSecretRequirements({ ...full, urlSecretRef: { name: "u", key: "url" }, pagerduty: { routingKeySecretRef: { name: "pd", key: "k" } } }).map((r) => `${r.field}=${r.secret}`)).toEqual([
      "spec.urlSecretRef=u",
      "spec.auth.secretRef=creds",
      "spec.tls.caSecretRef=ca",
      "spec.tls.clientCertSecretRef=client",
      "spec.pagerduty.routingKeySecretRef=pd",
    ]);
  });

  const allPresent = new Map<string, ObservedSecret>([
    ["creds", present(["token"])],
    ["ca", present(["ca.crt"])],
    ["client", present(["tls.crt", "tls.key"], "kubernetes.io/tls")],
  ]);

  it.each<[string, ConnectorSpec, Map<string, ObservedSecret>, unknown]>([
    ["ready when everything resolves", full, allPresent, { ready: true, reason: "Succeeded", message: "the Connector's spec is valid and its Secrets resolve" }],
    ["ready without Secrets", { type: "http", url: "https://x.example" }, new Map(), { ready: true, reason: "Succeeded", message: "the Connector's spec is valid and its Secrets resolve" }],
    ["a missing Secret", full, new Map([...allPresent, ["creds", { state: "missing" } as const]]), { ready: false, reason: "SecretNotFound", message: "spec.auth.secretRef: Secret creds does not exist" }],
    ["a missing key", full, new Map([...allPresent, ["ca", present(["tls.crt"])]]), { ready: false, reason: "SecretNotFound", message: "spec.tls.caSecretRef: Secret ca has no key ca.crt" }],
    ["a client certificate of the wrong type", full, new Map([...allPresent, ["client", present(["tls.crt", "tls.key"])]]), { ready: false, reason: "InvalidSpec", message: "spec.tls.clientCertSecretRef: Secret client has type Opaque, not kubernetes.io/tls" }],
    ["an unreadable Secret", full, new Map([...allPresent, ["creds", { state: "forbidden" } as const]]), { ready: false, reason: "SecretForbidden", message: "spec.auth.secretRef: reading Secret creds is forbidden; grant the operator's ServiceAccount the rules of the ClusterRole kube-soar-manager (config/rbac)" }],
    ["an invalid spec before any Secret", { ...full, url: "http://x.example" }, allPresent, { ready: false, reason: "InvalidSpec", message: "spec.url: must use https unless allowInsecureHTTP is true (http://x.example)" }],
  ])("%s", (_, spec, observed, expected) => {
    expect(connectorReadiness(spec, observed)).toEqual(expected);
  });
});
