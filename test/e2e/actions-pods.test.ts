import { Writable } from "node:stream";
import { CoreV1Api, KubernetesObjectApi, PolicyV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients, mergePatchOptions } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget } from "../../src/actions/target.ts";
import { undoAction } from "../../src/actions/undo.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { isNotFound } from "../../src/runtime/errors.ts";
import { FAKE_CONTAINER_LOG } from "../../hack/harness/kwok.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

// Actions on pods that really run: a Deployment scheduled onto the kwok node, with the
// controller manager keeping replica counts and PodDisruptionBudget status up to date.
const WAIT_MS = 120_000;
const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let core: CoreV1Api;
let policy: PolicyV1Api;
let clients: ActionClients;
let namespace: string;

async function run(type: ActionType, pod: string, params: Record<string, string> = {}): Promise<ActionOutcome> {
  const resolved = resolveActionTarget(type, { name: pod }, { namespace, workload: "Deployment/web" });
  if (!resolved.ok) return resolved;
  return executeAction(type, { clients, protectedNodes: undefined, playbookNamespace: namespace, incident: { namespace, name: "inc-1" }, target: resolved.target, params, dryRun: false, logger });
}

function ready(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp === undefined && pod.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") === true;
}

async function readyPods(count: number): Promise<string[]> {
  return await waitFor(
    async () => {
      const deployment = await clients.apps.readNamespacedDeployment({ name: "web", namespace });
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: "app=web" })).items.filter(ready);
      return deployment.status?.readyReplicas === count && pods.length === count && pods.map((pod) => pod.metadata?.name ?? "").sort();
    },
    { timeoutMs: WAIT_MS, intervalMs: 250, description: `Deployment web to have ${count} ready pods` },
  );
}

async function disruptionsAllowed(expected: number): Promise<void> {
  await waitFor(
    async () => {
      const budget = await policy.readNamespacedPodDisruptionBudget({ name: "web", namespace });
      return budget.status?.observedGeneration === budget.metadata?.generation && budget.status?.currentHealthy === 3 && budget.status.disruptionsAllowed === expected;
    },
    { timeoutMs: WAIT_MS, intervalMs: 250, description: `PodDisruptionBudget web to allow ${expected} disruptions` },
  );
}

async function gone(pod: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await core.readNamespacedPod({ name: pod, namespace })).metadata?.deletionTimestamp !== undefined;
      } catch (error: unknown) {
        return isNotFound(error);
      }
    },
    { timeoutMs: WAIT_MS, description: `pod ${pod} to be deleted` },
  );
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  policy = kubeConfig.makeApiClient(PolicyV1Api);
  clients = createActionClients(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "act-e2e");
  await objects.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "registry.invalid/web:1" }] } },
    },
  });
  await objects.create({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web", namespace }, spec: { minAvailable: 3, selector: { matchLabels: { app: "web" } } } });
});

afterAll(async () => {
  await core.deleteNamespace({ name: namespace });
});

describe("actions on running pods", () => {
  it("refuses to delete a pod when its Deployment would keep too few ready replicas", async () => {
    const [pod = ""] = await readyPods(3);
    expect(await run("deletePod", pod, { minHealthyReplicas: "3" })).toEqual({
      ok: false,
      reason: "MinHealthyReplicas",
      message: `deletePod: refused for pod ${namespace}/${pod}: deleting the pod would leave Deployment/web with 2 ready replicas, fewer than minHealthyReplicas 3`,
      retryable: true,
    });
    expect(ready(await core.readNamespacedPod({ name: pod, namespace }))).toBe(true);
  });

  it("is refused eviction by a PodDisruptionBudget, and evicts once the budget allows it", async () => {
    const [pod = ""] = await readyPods(3);
    await disruptionsAllowed(0);
    const refused = await run("evictPod", pod);
    expect(refused).toMatchObject({ ok: false, reason: "PodDisruptionBudget", retryable: true });
    expect(!refused.ok && refused.message).toMatch(new RegExp(`^evictPod: eviction of pod ${namespace}/${pod} refused: Cannot evict pod as it would violate the pod's disruption budget`));
    expect(ready(await core.readNamespacedPod({ name: pod, namespace }))).toBe(true);

    await policy.patchNamespacedPodDisruptionBudget({ name: "web", namespace, body: { spec: { minAvailable: 2 } } }, mergePatchOptions);
    await disruptionsAllowed(1);
    expect(await run("evictPod", pod)).toMatchObject({ ok: true, alreadyApplied: false, message: `evicted pod ${namespace}/${pod}` });
    await gone(pod);
  });

  it("deletes a pod when enough replicas stay ready", async () => {
    const [pod = ""] = await readyPods(3);
    expect(await run("deletePod", pod, { minHealthyReplicas: "50%" })).toMatchObject({ ok: true, outputs: { deleted: "true", owner: "Deployment/web" } });
    await gone(pod);
  });

  it("isolates a running pod without disturbing it, and undoes the isolation", async () => {
    const [pod = ""] = await readyPods(3);
    const outcome = await run("isolatePod", pod);
    expect(outcome).toMatchObject({ ok: true, alreadyApplied: false });
    const isolated = await core.readNamespacedPod({ name: pod, namespace });
    expect(isolated.metadata?.labels?.["soar.kube-soar.io/isolated"]).toBe(`soar-isolate-${pod}`);
    expect(ready(isolated)).toBe(true);
    if (!outcome.ok || outcome.undo === undefined) throw new Error("isolatePod must return an undo record");
    expect(await undoAction({ clients, dryRun: false, logger }, outcome.undo)).toMatchObject({ ok: true });
    expect((await core.readNamespacedPod({ name: pod, namespace })).metadata?.labels?.["soar.kube-soar.io/isolated"]).toBeUndefined();
  });

  it("captures a running pod's log through the API server and the node's kubelet API", async () => {
    const [pod = ""] = await readyPods(3);
    const outcome = await run("captureLogs", pod, { tailLines: "20" });
    expect(outcome).toMatchObject({ ok: true, outputs: { logs: FAKE_CONTAINER_LOG.join("\n"), lines: "2", truncated: "false" } });
  });
});
