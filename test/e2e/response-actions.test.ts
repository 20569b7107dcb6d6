import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CoreV1Api, CustomObjectsApi, KubernetesObjectApi, NetworkingV1Api, type KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ConnectorSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { isNotFound } from "../../src/runtime/errors.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers, stepOf } from "../integration/reconciler-helpers.ts";

const WAIT = { timeoutMs: 120_000, intervalMs: 250 };

/** One request the local endpoint received. */
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A local HTTP endpoint on 127.0.0.1 that records what it receives and answers 200. */
async function startEndpoint(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/notify`, received };
}


describe("response actions, guards, connectors and revert, run by the Incident controller", () => {
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  let networking: NetworkingV1Api;
  let objectsApi: KubernetesObjectApi;
  let custom: CustomObjectsApi;
  let controllers: TestControllers | undefined;
  let server: Server | undefined;

  async function createPod(namespace: string, name: string): Promise<void> {
    await objectsApi.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace, labels: { app: "web" } },
      spec: { containers: [{ name: "app", image: "registry.invalid/web:1" }] },
    });
  }

  async function createConnector(namespace: string, name: string, spec: ConnectorSpec): Promise<void> {
    const body = { apiVersion: API_VERSION, kind: "Connector", metadata: { name, namespace }, spec };
    await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, body });
  }

  async function connectorReady(namespace: string, name: string): Promise<{ status: string; reason: string; message: string }> {
    const connector = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, name })) as {
      metadata: { generation?: number };
      status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason: string; message?: string }[] };
    };
    const ready = connector.status?.conditions?.find((condition) => condition.type === "Ready");
    if (ready === undefined || connector.status?.observedGeneration !== connector.metadata.generation) return { status: "", reason: "", message: "" };
    return { status: ready.status, reason: ready.reason, message: ready.message ?? "" };
  }

  async function networkPolicyExists(namespace: string, name: string): Promise<boolean> {
    try {
      await networking.readNamespacedNetworkPolicy({ name, namespace });
      return true;
    } catch (error: unknown) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  beforeAll(async () => {
    kubeConfig = loadKubeConfig();
    core = kubeConfig.makeApiClient(CoreV1Api);
    networking = kubeConfig.makeApiClient(NetworkingV1Api);
    objectsApi = KubernetesObjectApi.makeApiClient(kubeConfig);
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
    await new Promise<void>((resolve) => {
      if (server === undefined) resolve();
      else server.close(() => { resolve(); });
    });
    server = undefined;
  });

  it("isolates the Pod, runs the forensic Job, notifies the local endpoint with an Idempotency-Key, reverts on resolve, and leaks no Secret", async () => {
    const namespace = await createTestNamespace(kubeConfig, "e2e-respond");
    const endpoint = await startEndpoint();
    server = endpoint.server;
    const token = `tok-${randomBytes(16).toString("hex")}`;
    controllers = await startControllers(kubeConfig, namespace);
    const objects = new SoarObjects(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      await createPod(namespace, "web-0");
      await createConnector(namespace, "oncall", { type: "http", url: endpoint.url, allowInsecureHTTP: true, auth: { type: "bearer", secretRef: { name: "oncall-token", key: "token" } } });
      const missing = await waitFor(async () => {
        const ready = await connectorReady(namespace, "oncall");
        return ready.status === "False" ? ready : undefined;
      }, { ...WAIT, description: "Connector oncall to report its missing Secret" });
      expect(missing).toEqual({ status: "False", reason: "SecretNotFound", message: "spec.auth.secretRef: Secret oncall-token does not exist" });
      await objectsApi.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "oncall-token", namespace }, stringData: { token } });
      await waitFor(async () => (await connectorReady(namespace, "oncall")).status === "True", { ...WAIT, description: "Connector oncall to turn Ready once its Secret exists" });

      await objects.createPlaybook("contain", {
        trigger: { types: ["falco.rule.output.v1"] },
        steps: [
          { name: "isolate", action: { type: "isolatePod", params: { allowCIDRs: "10.9.0.0/16" } } },
          { name: "forensics", needs: ["isolate"], job: { image: "registry.invalid/forensics:1", args: ["--pod", "${{ incident.resources.pod }}"] } },
          { name: "notify", needs: ["forensics"], notify: { connector: "oncall", message: "pod ${{ incident.resources.pod }} isolated: ${{ steps.isolate.outputs.target }}" } },
        ],
      });
      await waitFor(async () => conditionOf(await objects.playbook("contain"))?.status === "True", { ...WAIT, description: "Playbook contain to be Ready" });
      await objects.createIncident("inc", incidentSpec(["contain"], { resources: { namespace, pod: "web-0" } }));

      const done = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return incident.status?.phase === "Succeeded" || incident.status?.phase === "Failed" ? incident : undefined;
      }, { ...WAIT, description: "the Incident's run to finish" });
      expect(done.status?.phase).toBe("Succeeded");

      const pod = await core.readNamespacedPod({ name: "web-0", namespace });
      expect(pod.metadata?.labels).toEqual({ app: "web", "soar.kube-soar.io/isolated": "soar-isolate-web-0" });
      const policy = await networking.readNamespacedNetworkPolicy({ name: "soar-isolate-web-0", namespace });
      expect(JSON.parse(JSON.stringify(policy.spec)) as unknown).toEqual({
        podSelector: { matchLabels: { "soar.kube-soar.io/isolated": "soar-isolate-web-0" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ _from: [{ ipBlock: { cidr: "10.9.0.0/16" } }] }],
        egress: [{ to: [{ ipBlock: { cidr: "10.9.0.0/16" } }] }],
      });
      expect(stepOf(done, "isolate")).toMatchObject({ phase: "Succeeded", attempts: 1, undo: { action: "isolatePod", namespace, pod: "web-0", networkPolicy: "soar-isolate-web-0" } });

      const jobs = await objects.jobs();
      expect(jobs.map((job) => job.metadata?.name)).toEqual([stepOf(done, "forensics")?.job]);
      expect(jobs[0]?.status?.succeeded).toBe(1);
      expect(stepOf(done, "forensics")?.phase).toBe("Succeeded");

      const uid = done.metadata.uid ?? "";
      expect(endpoint.received).toHaveLength(1);
      const request = endpoint.received[0];
      expect(request?.headers["idempotency-key"]).toBe(`${uid}/contain/notify/1`);
      expect(request?.headers.authorization).toBe(`Bearer ${token}`);
      expect(JSON.parse(request?.body ?? "null")).toMatchObject({ message: `pod web-0 isolated: ${namespace}/web-0`, incident: { namespace, name: "inc" } });
      expect(stepOf(done, "notify")).toMatchObject({ phase: "Succeeded", outputs: { status: "200", attempts: "1" } });

      await objects.updateIncidentSpec("inc", (spec) => ({ ...spec, state: "Resolved", revert: true }));
      const reverted = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return typeof stepOf(incident, "isolate")?.undo?.["revertedAt"] === "string" ? incident : undefined;
      }, { ...WAIT, description: "the isolation to be reverted" });
      expect(stepOf(reverted, "isolate")?.undo).toMatchObject({ reverted: true });
      expect(await networkPolicyExists(namespace, "soar-isolate-web-0")).toBe(false);
      expect((await core.readNamespacedPod({ name: "web-0", namespace })).metadata?.labels).toEqual({ app: "web" });
      const entries = (reverted.status?.timeline ?? []).filter((entry) => entry.reason === "Reverted");
      expect(entries).toMatchObject([{ type: "Normal", playbook: "contain", step: "isolate" }]);
      await waitFor(async () => (await objects.events("inc")).some((event) => event.startsWith("Reverted: contain/isolate: ")), { ...WAIT, description: "the Reverted Event" });
      expect(reverted.status?.phase).toBe("Resolved");

      const events = await core.listNamespacedEvent({ namespace });
      const haystacks = [controllers?.logs.join("\n") ?? "", JSON.stringify(await objects.incident("inc")), JSON.stringify(events.items), JSON.stringify(await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector }))];
      for (const haystack of haystacks) expect(haystack.includes(token)).toBe(false);
    });
  });

  it("blocks refused actions with the guard's reason, an Event and the metric: protected namespace, tenancy across two namespaces, approval policy", async () => {
    const namespace = await createTestNamespace(kubeConfig, "e2e-guards");
    const other = await createTestNamespace(kubeConfig, "e2e-guards-other");
    controllers = await startControllers(kubeConfig, namespace);
    const objects = new SoarObjects(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      await Promise.all([createPod(namespace, "web-0"), createPod(other, "web-0")]);
      await objects.createPlaybook("guarded", {
        trigger: { types: ["falco.rule.output.v1"] },
        steps: [
          { name: "protected", continueOnError: true, action: { type: "label", target: { namespace: "kube-system", name: "coredns" }, params: { "soar/x": "y" } } },
          { name: "tenancy", continueOnError: true, action: { type: "label", target: { namespace: other, name: "web-0" }, params: { "soar/x": "y" } } },
          { name: "kill", continueOnError: true, action: { type: "deletePod" } },
          { name: "mark", action: { type: "label", params: { "soar/seen": "yes" } } },
        ],
      });
      await waitFor(async () => conditionOf(await objects.playbook("guarded"))?.status === "True", { ...WAIT, description: "Playbook guarded to be Ready" });
      await objects.createIncident("inc", incidentSpec(["guarded"], { resources: { namespace, pod: "web-0" } }));
      const done = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return incident.status?.phase === "Succeeded" || incident.status?.phase === "Failed" ? incident : undefined;
      }, { ...WAIT, description: "the Incident's run to finish" });

      expect(stepOf(done, "protected")).toMatchObject({ phase: "Blocked", message: "step protected: label on Pod kube-system/coredns refused: namespace kube-system is protected" });
      expect(stepOf(done, "tenancy")?.phase).toBe("Blocked");
      expect(stepOf(done, "tenancy")?.message).toContain(`Playbook ${namespace}/guarded may act only in namespace ${namespace}, not on Pod ${other}/web-0`);
      expect(stepOf(done, "kill")).toMatchObject({ phase: "Blocked", message: "step kill: deletePod requires an approval first: add an approval step and list it (directly or through other steps) in needs" });
      expect(stepOf(done, "mark")?.phase).toBe("Succeeded");
      expect(done.status?.phase).toBe("Succeeded");

      expect((await core.readNamespacedPod({ name: "web-0", namespace: other })).metadata?.labels).toEqual({ app: "web" });
      expect((await core.readNamespacedPod({ name: "web-0", namespace })).metadata?.deletionTimestamp).toBeUndefined();
      expect((await core.readNamespacedPod({ name: "web-0", namespace })).metadata?.labels?.["soar/seen"]).toBe("yes");

      await waitFor(async () => {
        const events = await objects.events("inc");
        return ["ProtectedNamespace: guarded/protected: ", "TenancyViolation: guarded/tenancy: ", "ApprovalRequired: guarded/kill: "].every((prefix) => events.some((event) => event.startsWith(prefix)));
      }, { ...WAIT, description: "an Event per refusal, with the guard's reason" });
      const metrics = await controllers?.registry.metrics();
      for (const guard of ["protectedNamespace", "tenancy", "approval"]) expect(metrics).toContain(`soar_guard_refusals_total{guard="${guard}"} 1`);
      expect(metrics).toContain('soar_guard_refusals_total{guard="rateLimit"} 0');
    });
  });
});
