import { CoreV1Api, CustomObjectsApi, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergePatchOptions } from "../../src/actions/kube-calls.ts";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Condition, Connector, ConnectorSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { evaluateConnectorReady } from "../../src/connectors/connector-ready.ts";
import { connectorStatus } from "../../src/reconcilers/connector/connector-status.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";

const tokenValue = "ready-secret-token-0042";
let kubeConfig: KubeConfig;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let objects: KubernetesObjectApi;
let namespace: string;
const spec: ConnectorSpec = {
  type: "http",
  url: "https://hooks.example.com/incidents",
  auth: { type: "bearer", secretRef: { name: "creds", key: "token" } },
  tls: { clientCertSecretRef: { name: "client" } },
};

async function connector(): Promise<Connector> {
  return (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, name: "hook" })) as Connector;
}

/** What the Connector controller does each reconcile: evaluate, then write the condition to status. */
async function reconcile(clock: { now: () => Date }): Promise<Condition> {
  const current = await connector();
  const status = connectorStatus(current, await evaluateConnectorReady(core, namespace, current.spec), clock.now());
  await custom.patchNamespacedCustomObjectStatus(
    { group: GROUP, version: VERSION, namespace, plural: Plural.Connector, name: "hook", body: { status } },
    mergePatchOptions,
  );
  const stored = (await connector()).status?.conditions?.find((entry) => entry.type === "Ready");
  if (stored === undefined) throw new Error("the Ready condition was not stored");
  return stored;
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  core = kubeConfig.makeApiClient(CoreV1Api);
  custom = kubeConfig.makeApiClient(CustomObjectsApi);
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  await ensureCrds(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "conn-ready");
  await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, body: { apiVersion: `${GROUP}/${VERSION}`, kind: "Connector", metadata: { name: "hook" }, spec } });
});

afterAll(async () => {
  await core.deleteNamespace({ name: namespace });
});

describe("the Connector's Ready condition", () => {
  it("follows its Secrets: missing, missing key, wrong type, then ready, and never shows a value", async () => {
    const at = (iso: string) => ({ now: () => new Date(iso) });
    expect(await reconcile(at("2026-11-23T12:00:00Z"))).toMatchObject({ status: "False", reason: "SecretNotFound", message: "spec.auth.secretRef: Secret creds does not exist", lastTransitionTime: "2026-11-23T12:00:00.000Z" });

    await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace }, stringData: { other: tokenValue } });
    expect(await reconcile(at("2026-11-23T12:01:00Z"))).toMatchObject({ status: "False", reason: "SecretNotFound", message: "spec.auth.secretRef: Secret creds has no key token", lastTransitionTime: "2026-11-23T12:00:00.000Z" });

    await core.patchNamespacedSecret({ name: "creds", namespace, body: { stringData: { token: tokenValue } } }, mergePatchOptions);
    await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "client", namespace }, stringData: { "tls.crt": "c", "tls.key": "k" } });
    expect(await reconcile(at("2026-11-23T12:02:00Z"))).toMatchObject({ status: "False", reason: "InvalidSpec", message: "spec.tls.clientCertSecretRef: Secret client has type Opaque, not kubernetes.io/tls" });

    await core.deleteNamespacedSecret({ name: "client", namespace });
    await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "client", namespace }, type: "kubernetes.io/tls", stringData: { "tls.crt": "c", "tls.key": "k" } });
    expect(await reconcile(at("2026-11-23T12:03:00Z"))).toEqual({
      type: "Ready",
      status: "True",
      observedGeneration: 1,
      lastTransitionTime: "2026-11-23T12:03:00.000Z",
      reason: "Succeeded",
      message: "the Connector's spec is valid and its Secrets resolve",
    });
    expect(await reconcile(at("2026-11-23T12:04:00Z"))).toMatchObject({ status: "True", lastTransitionTime: "2026-11-23T12:03:00.000Z" });
    expect(JSON.stringify(await connector())).not.toContain(tokenValue);
  });
});
