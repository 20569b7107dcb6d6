import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients, mergePatchOptions } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget } from "../../src/actions/target.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { isNotFound } from "../../src/runtime/errors.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let clients: ActionClients;
let namespace: string;

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "registry.example/web:1" }] } };

async function run(type: ActionType, pod: string, params: Record<string, string> = {}, dryRun = false): Promise<ActionOutcome> {
  const resolved = resolveActionTarget(type, { name: pod }, { namespace });
  if (!resolved.ok) return resolved;
  return executeAction(type, { clients, protectedNodes: undefined, playbookNamespace: namespace, incident: { namespace, name: "inc-1" }, target: resolved.target, params, dryRun, logger });
}

async function exists(pod: string): Promise<boolean> {
  try {
    await clients.core.readNamespacedPod({ name: pod, namespace });
    return true;
  } catch (error: unknown) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function createOwnedPod(name: string, owner: { apiVersion: string; kind: string; name: string; uid: string }): Promise<void> {
  await objects.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: "web" }, ownerReferences: [{ ...owner, controller: true }] },
    spec: template.spec,
  });
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await clients.core.patchNamespacedPodStatus(
    { name, namespace, body: { status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }] } } },
    mergePatchOptions,
  );
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  clients = createActionClients(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "act-delete");
  const selector = { matchLabels: { app: "web" } };
  await objects.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace }, spec: { replicas: 2, selector, template } });
  const deployment = await clients.apps.readNamespacedDeployment({ name: "web", namespace });
  await clients.apps.patchNamespacedDeploymentStatus({ name: "web", namespace, body: { status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 } } }, mergePatchOptions);
  await objects.create({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web-5d8f", namespace, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: deployment.metadata?.uid ?? "", controller: true }] },
    spec: { replicas: 2, selector, template },
  });
  const replicaSet = await clients.apps.readNamespacedReplicaSet({ name: "web-5d8f", namespace });
  const rsOwner = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d8f", uid: replicaSet.metadata?.uid ?? "" };
  await createOwnedPod("web-5d8f-a", rsOwner);
  await createOwnedPod("web-5d8f-b", rsOwner);
  await objects.create({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace }, spec: { selector, template } });
  const daemonSet = await clients.apps.readNamespacedDaemonSet({ name: "agent", namespace });
  await createOwnedPod("agent-x1", { apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: daemonSet.metadata?.uid ?? "" });
  for (const name of ["lonely", "evictee"]) {
    await objects.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace }, spec: template.spec });
  }
});

afterAll(async () => {
  await clients.core.deleteNamespace({ name: namespace });
});

describe("deletePod", () => {
  it("refuses when the owning Deployment would drop below minHealthyReplicas", async () => {
    expect(await run("deletePod", "web-5d8f-a", { minHealthyReplicas: "2" })).toEqual({
      ok: false,
      reason: "MinHealthyReplicas",
      message: `deletePod: refused for pod ${namespace}/web-5d8f-a: deleting the pod would leave Deployment/web with 1 ready replicas, fewer than minHealthyReplicas 2`,
      retryable: true,
    });
    expect(await exists("web-5d8f-a")).toBe(true);
  });

  it("deletes when enough replicas stay, and a re-run reports it already deleted", async () => {
    expect(await run("deletePod", "web-5d8f-a", { minHealthyReplicas: "50%", gracePeriodSeconds: "0" })).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `deleted pod ${namespace}/web-5d8f-a`,
      outputs: { deleted: "true", owner: "Deployment/web", dryRun: "false" },
    });
    await waitFor(async () => !(await exists("web-5d8f-a")), { timeoutMs: 10_000, description: "pod web-5d8f-a to be gone" });
    expect(await run("deletePod", "web-5d8f-a", { minHealthyReplicas: "50%" })).toMatchObject({
      ok: true,
      alreadyApplied: true,
      message: `pod ${namespace}/web-5d8f-a does not exist (already deleted)`,
    });
  });

  it.each<[string, string, Record<string, string>, string]>([
    ["DaemonSet pods", "agent-x1", { skipDaemonSetPods: "true" }, "it belongs to DaemonSet/agent (skipDaemonSetPods)"],
    ["standalone pods", "lonely", { skipStandalonePods: "true" }, "it has no controller (skipStandalonePods)"],
  ])("skips %s when asked", async (_, pod, params, why) => {
    expect(await run("deletePod", pod, params)).toMatchObject({ ok: true, alreadyApplied: false, message: `skipped pod ${namespace}/${pod}: ${why}`, outputs: { deleted: "false" } });
    expect(await exists(pod)).toBe(true);
  });

  it("deletes nothing in dry-run", async () => {
    expect(await run("deletePod", "lonely", {}, true)).toMatchObject({ ok: true, message: `would delete pod ${namespace}/lonely`, outputs: { deleted: "false", dryRun: "true" } });
    expect(await exists("lonely")).toBe(true);
  });

  it.each<[Record<string, string>, string]>([
    [{ minHealthyReplicas: "most" }, 'deletePod: params.minHealthyReplicas: must be a count such as 2 or a percentage such as 50%, got "most"'],
    [{ gracePeriodSeconds: "-1" }, "deletePod: params.gracePeriodSeconds: must be between 0 and 3600, got -1"],
  ])("refuses params %j", async (params, message) => {
    expect(await run("deletePod", "lonely", params)).toEqual({ ok: false, reason: "InvalidParams", message, retryable: false });
  });
});

describe("evictPod", () => {
  it("evicts through the Eviction API, and a re-run reports it already gone", async () => {
    expect(await run("evictPod", "evictee", { gracePeriodSeconds: "0" })).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `evicted pod ${namespace}/evictee`,
      outputs: { evicted: "true", dryRun: "false" },
    });
    await waitFor(async () => !(await exists("evictee")), { timeoutMs: 10_000, description: "pod evictee to be gone" });
    expect(await run("evictPod", "evictee")).toMatchObject({ ok: true, alreadyApplied: true, message: `pod ${namespace}/evictee does not exist (already evicted or deleted)` });
  });

  it("evicts nothing in dry-run", async () => {
    expect(await run("evictPod", "lonely", {}, true)).toMatchObject({ ok: true, message: `would evict pod ${namespace}/lonely` });
    expect(await exists("lonely")).toBe(true);
  });
});
