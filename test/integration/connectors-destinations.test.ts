import { once } from "node:events";
import http, { type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { Writable } from "node:stream";
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ConnectorSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { parseOperatorOptions } from "../../src/config/parse.ts";
import { createConnectorCaller, type ConnectorCaller } from "../../src/connectors/call-connector.ts";
import type { ConnectorCallResult } from "../../src/connectors/connector-contract.ts";
import { operatorDestinationPolicy } from "../../src/connectors/protected-addresses.ts";
import { createSecretResolver } from "../../src/connectors/secret-resolver.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { startMetricsServer, type MetricsServer } from "../../src/observability/metrics-server.ts";
import type { DestinationPolicy } from "../../src/policy/destination-policy.ts";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { ensureCrds } from "../support/crds.ts";
import { bodyPayload } from "../../src/testing/connector-payloads.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { explainFailure, incidentSpec, SoarObjects, startControllers, stepOf, type TestControllers } from "./reconciler-helpers.ts";

/** The operator's namespace in these tests; the tenant namespaces are the test namespaces. */
const OPERATOR_NAMESPACE = "kube-soar-system";
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
/** What an instance metadata service answers for a role's credentials (the values are made up). */
const CREDENTIALS = {
  Code: "Success",
  Type: "AWS-HMAC",
  AccessKeyId: "ASIAZZZZZZZZZZZZZZZZ",
  SecretAccessKey: "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzzzzzzzzzz",
  Token: "IQoJb3JpZ2luX2VjEJr-session-token-zzzzzzzzzzzzzzzzzzzzzzzzzz",
  Expiration: "2026-11-23T18:00:00Z",
  Note: "x".repeat(5000),
};

/**
 * A local server standing in for a metadata service: records every request and answers with
 * credentials, or as `answer` says. It listens on 127.0.0.2, a loopback address that is not the
 * harness API server's (127.0.0.1), so that refusals name the loopback rule.
 */
class MetadataStandIn {
  readonly paths: string[] = [];
  answer: (response: ServerResponse) => void = (response) => {
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(CREDENTIALS));
  };
  readonly #server = http.createServer((request, response) => {
    this.paths.push(request.url ?? "");
    request.resume();
    this.answer(response);
  });
  port = 0;

  async start(): Promise<void> {
    this.#server.listen(0, "127.0.0.2");
    await once(this.#server, "listening");
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, "close");
  }
}

const ROLE_PATH = "/latest/meta-data/iam/security-credentials/node-role";
const silent = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
const metadata = new MetadataStandIn();
let kubeConfig: KubeConfig;
let tenant: string;
let metricsServer: MetricsServer;
let caller: ConnectorCaller | undefined;
let controllers: TestControllers | undefined;

/** The policy the operator process builds from these flags (`--namespace` kube-soar-system), the harness kubeconfig and this host. */
async function operatorPolicy(flags: string[] = []): Promise<DestinationPolicy> {
  const options = parseOperatorOptions(["--namespace", OPERATOR_NAMESPACE, "--receiver-enabled", "false", ...flags], {});
  const settings = { operatorNamespace: options.namespace, ...options.connectorDestinations };
  return (await operatorDestinationPolicy(settings, { apiServerUrl: kubeConfig.getCurrentCluster()?.server, env: {} })).policy;
}

async function call(destinations: DestinationPolicy, namespace: string, spec: Omit<ConnectorSpec, "type">): Promise<ConnectorCallResult> {
  caller = createConnectorCaller({ clock: systemRuntimeClock, logger: silent, destinations });
  return caller.call({
    connector: { namespace, name: "probe", spec: { type: "http", method: "GET", allowInsecureHTTP: true, timeout: "5s", ...spec } },
    secrets: createSecretResolver(kubeConfig.makeApiClient(CoreV1Api), namespace),
    payload: bodyPayload(undefined),
    incident: { namespace, name: "inc-1" },
    idempotencyKey: "uid/playbook/step/1",
    signal: new AbortController().signal,
  });
}

/** This host's first non-internal IPv4 address: in a Pod, the Pod's address. */
function ownAddress(): string {
  const address = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []).find((entry) => !entry.internal && entry.family === "IPv4")?.address;
  if (address === undefined) throw new Error("this test needs a non-internal IPv4 interface, as a Pod has");
  return address;
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  await ensureCrds(kubeConfig);
  await metadata.start();
  tenant = await createTestNamespace(kubeConfig, "conn-dest");
  const registry = new Registry();
  metricsServer = await startMetricsServer({ host: "0.0.0.0", port: 0, registry, access: undefined, logger: silent });
});

afterEach(async () => {
  caller?.close();
  caller = undefined;
  await controllers?.stop();
  controllers = undefined;
  metadata.paths.length = 0;
});

afterAll(async () => {
  await metadata.stop();
  await metricsServer.close();
  await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: tenant });
});

describe("Connector destinations", () => {
  it("refuses a tenant Connector pointed at a loopback metadata service: the step fails with the rule, the service gets no request, no credential reaches the Incident", async () => {
    controllers = await startControllers(kubeConfig, tenant, { destinations: await operatorPolicy() });
    const objects = new SoarObjects(kubeConfig, tenant);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    await explainFailure(objects, controllers, async () => {
      const spec: ConnectorSpec = { type: "http", url: `http://127.0.0.2:${metadata.port}${ROLE_PATH}`, method: "GET", allowInsecureHTTP: true };
      await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: tenant, plural: Plural.Connector, body: { apiVersion: API_VERSION, kind: "Connector", metadata: { name: "metadata" }, spec } });
      await objects.createPlaybook("steal", { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "fetch", connector: { ref: "metadata" } }] });
      await waitFor(async () => (await objects.playbook("steal")).status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") === true, {
        ...WAIT,
        description: "Playbook steal to be Ready",
      });
      await objects.createIncident("inc", incidentSpec(["steal"]));
      const done = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return incident.status?.phase === "Succeeded" || incident.status?.phase === "Failed" ? incident : undefined;
      }, { ...WAIT, description: "the Incident's run to finish" });
      expect(stepOf(done, "fetch")).toMatchObject({
        phase: "Failed",
        attempts: 1,
        message: `attempt 1 failed (DestinationRefused): connector ${tenant}/metadata: 127.0.0.2 is in 127.0.0.0/8 (loopback, the operator itself), refused for Connectors outside the operator's namespace ${OPERATOR_NAMESPACE} whatever --connector-allowed-destinations says`,
      });
      expect(stepOf(done, "fetch")?.outputs).toBeUndefined();
      expect(metadata.paths).toEqual([]);
      expect(JSON.stringify(done)).not.toContain(CREDENTIALS.SecretAccessKey);
    });
  });

  it.each([
    // localhost is 127.0.0.1 (the harness API server's address, which the refusal names) or ::1 (loopback).
    ["a host name resolving to loopback", () => `http://localhost:${metadata.port}${ROLE_PATH}`, /^localhost resolves to (127\.0\.0\.1|::1): .*(the Kubernetes API server|\(loopback, the operator itself\))/],
    ["an IPv4-mapped IPv6 loopback address", () => `http://[::ffff:127.0.0.2]:${metadata.port}${ROLE_PATH}`, /^::ffff:7f00:2 \(127\.0\.0\.2\) is in 127\.0\.0\.0\/8 \(loopback, the operator itself\)/],
    ["the unspecified address, which reaches this host", () => `http://0.0.0.0:${metadata.port}${ROLE_PATH}`, /^0\.0\.0\.0 is in 0\.0\.0\.0\/8 \(unspecified, reaches the operator itself\)/],
    ["a decimal IPv4 literal", () => `http://2130706434:${metadata.port}${ROLE_PATH}`, /^127\.0\.0\.2 is in 127\.0\.0\.0\/8/],
    ["the link-local metadata address", () => `http://169.254.169.254${ROLE_PATH}`, /^169\.254\.169\.254 is in 169\.254\.0\.0\/16 \(link-local, cloud metadata\), refused for every Connector/],
  ])("refuses %s for a tenant Connector before sending anything", async (_, url, reason) => {
    const result = await call(await operatorPolicy(), tenant, { url: url() });
    expect(result).toMatchObject({ ok: false, reason: "DestinationRefused", retryable: false, attempts: expect.any(Number) as unknown });
    expect(result.ok ? "" : result.message.replace(`connector ${tenant}/probe: `, "")).toMatch(reason);
    expect(metadata.paths).toEqual([]);
  });

  it("refuses the operator's own /metrics, on loopback and on its Pod address, to tenant Connectors even when allowed, and opens them to its own namespace", async () => {
    const own = ownAddress();
    const allowing = await operatorPolicy(["--connector-allowed-destinations", `127.0.0.0/8,${own}/32`]);
    const onLoopback = await call(allowing, tenant, { url: `http://127.0.0.2:${metricsServer.port}/metrics` });
    expect(onLoopback).toMatchObject({
      ok: false,
      reason: "DestinationRefused",
      message: `connector ${tenant}/probe: 127.0.0.2 is in 127.0.0.0/8 (loopback, the operator itself), refused for Connectors outside the operator's namespace ${OPERATOR_NAMESPACE} whatever --connector-allowed-destinations says`,
    });
    expect(await call(allowing, OPERATOR_NAMESPACE, { url: `http://127.0.0.2:${metricsServer.port}/metrics` })).toMatchObject({ ok: true, status: 200 });
    const onPod = await call(allowing, tenant, { url: `http://${own}:${metricsServer.port}/metrics` });
    expect(onPod).toMatchObject({ ok: false, reason: "DestinationRefused", message: `connector ${tenant}/probe: ${own} is an address of the operator itself, refused for Connectors outside the operator's namespace ${OPERATOR_NAMESPACE} whatever --connector-allowed-destinations says` });
    expect(await call(allowing, OPERATOR_NAMESPACE, { url: `http://${own}:${metricsServer.port}/metrics` })).toMatchObject({ ok: true, status: 200 });
    expect(await call(await operatorPolicy(), OPERATOR_NAMESPACE, { url: `http://${own}:${metricsServer.port}/metrics` })).toMatchObject({
      ok: false,
      message: `connector ${OPERATOR_NAMESPACE}/probe: ${own} is an address of the operator itself, refused unless --connector-allowed-destinations covers it`,
    });
  });

  it("refuses the API server's address to tenant Connectors even when allowed", async () => {
    const server = new URL(kubeConfig.getCurrentCluster()?.server ?? "");
    const allowing = await operatorPolicy(["--connector-allowed-destinations", "127.0.0.1/32,::1/128"]);
    const result = await call(allowing, tenant, { url: `${server.origin}/api/v1/namespaces/kube-system/secrets` });
    expect(result).toMatchObject({ ok: false, reason: "DestinationRefused", message: expect.stringContaining(`is an address of the Kubernetes API server, refused for Connectors outside the operator's namespace ${OPERATOR_NAMESPACE}`) as unknown });
  });

  it("lets --connector-allowed-destinations open loopback to the operator's namespace, with credential outputs redacted and bounded", async () => {
    const result = await call(await operatorPolicy(["--connector-allowed-destinations", "127.0.0.2/32"]), OPERATOR_NAMESPACE, { url: `http://127.0.0.2:${metadata.port}${ROLE_PATH}` });
    expect(metadata.paths).toEqual([ROLE_PATH]);
    expect(result).toMatchObject({ ok: true, status: 200, outputs: { Code: "Success", AccessKeyId: "[REDACTED]", SecretAccessKey: "[REDACTED]", Token: "[REDACTED]" } });
    const outputs = result.ok ? result.outputs : {};
    expect(outputs["Note"]?.length).toBeLessThanOrEqual(2048);
    expect(JSON.stringify(outputs)).not.toContain(CREDENTIALS.AccessKeyId);
  });

  it("never follows a redirect: a 3xx towards the metadata service is the answer", async () => {
    const redirector = new MetadataStandIn();
    redirector.answer = (response) => {
      response.writeHead(302, { Location: `http://127.0.0.2:${metadata.port}${ROLE_PATH}` }).end();
    };
    await redirector.start();
    try {
      const result = await call(await operatorPolicy(["--connector-allowed-destinations", "127.0.0.0/8"]), OPERATOR_NAMESPACE, { url: `http://127.0.0.2:${redirector.port}/hook` });
      expect(result).toMatchObject({ ok: false, reason: "UnexpectedStatus", status: 302 });
      expect(redirector.paths).toEqual(["/hook"]);
      expect(metadata.paths).toEqual([]);
    } finally {
      await redirector.stop();
    }
  });
});
