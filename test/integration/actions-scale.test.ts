import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget, type TargetInput } from "../../src/actions/target.ts";
import { undoAction } from "../../src/actions/undo.ts";
import type { UndoRecord } from "../../src/actions/undo-record.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";

const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let clients: ActionClients;
let namespace: string;

const template = {
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "app", image: "registry.example/web:1" }] },
};

async function run(target: TargetInput, params: Record<string, string>, dryRun = false, workload = "Deployment/web"): Promise<ActionOutcome> {
  const resolved = resolveActionTarget("scaleWorkload", target, { namespace, workload });
  if (!resolved.ok) return resolved;
  return executeAction("scaleWorkload", { clients, protectedNodes: undefined, playbookNamespace: namespace, incident: { namespace, name: "inc-1" }, target: resolved.target, params, dryRun, logger });
}

function undoOf(outcome: ActionOutcome): UndoRecord {
  if (!outcome.ok || outcome.undo === undefined) throw new Error(`expected an undo record, got ${JSON.stringify(outcome)}`);
  return outcome.undo;
}

async function replicas(kind: "Deployment" | "StatefulSet", name: string): Promise<number | undefined> {
  const object = kind === "Deployment" ? await clients.apps.readNamespacedDeployment({ name, namespace }) : await clients.apps.readNamespacedStatefulSet({ name, namespace });
  return object.spec?.replicas;
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  clients = createActionClients(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "act-scale");
  const selector = { matchLabels: { app: "web" } };
  await objects.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace }, spec: { replicas: 3, selector, template } });
  await objects.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace }, spec: { replicas: 2, selector, template } });
  await objects.create({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace }, spec: { replicas: 2, serviceName: "db", selector, template } });
});

afterAll(async () => {
  await clients.core.deleteNamespace({ name: namespace });
});

describe("scaleWorkload", () => {
  it("scales a Deployment (named by the Incident's workload) and undo scales it back", async () => {
    const outcome = await run({}, { replicas: "0" });
    expect(outcome).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `scaled deployment ${namespace}/web from 3 to 0 replicas`,
      outputs: { previousReplicas: "3", replicas: "0", dryRun: "false" },
      undo: { action: "scaleWorkload", kind: "Deployment", namespace, name: "web", previousReplicas: 3, appliedReplicas: 0 },
    });
    expect(await replicas("Deployment", "web")).toBe(0);
    expect(await run({}, { replicas: "0" })).toEqual({
      ok: true,
      alreadyApplied: true,
      message: `deployment ${namespace}/web already has 0 replicas`,
      outputs: { previousReplicas: "0", replicas: "0", dryRun: "false" },
    });
    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toEqual({ ok: true, message: `scaled deployment ${namespace}/web back to 3 replicas` });
    expect(await replicas("Deployment", "web")).toBe(3);
  });

  it("scales a StatefulSet and leaves a count changed since alone", async () => {
    const outcome = await run({ kind: "StatefulSet", name: "db" }, { replicas: "1" });
    expect(await replicas("StatefulSet", "db")).toBe(1);
    await clients.apps.patchNamespacedStatefulSetScale({ name: "db", namespace, body: [{ op: "replace", path: "/spec/replicas", value: 5 }] });
    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toEqual({
      ok: true,
      message: `statefulset ${namespace}/db has 5 replicas, changed since the action set 1; left as is`,
    });
    expect(await replicas("StatefulSet", "db")).toBe(5);
  });

  it("changes nothing in dry-run", async () => {
    expect(await run({ name: "api" }, { replicas: "7" }, true)).toMatchObject({ ok: true, message: `would scale deployment ${namespace}/api from 2 to 7 replicas` });
    expect(await replicas("Deployment", "api")).toBe(2);
  });

  it.each<[string, TargetInput, Record<string, string>, string, string]>([
    ["without replicas", { name: "api" }, {}, "InvalidParams", "scaleWorkload: params.replicas: required"],
    ["too many replicas", { name: "api" }, { replicas: "100000" }, "InvalidParams", "scaleWorkload: params.replicas: must be between 0 and 1000, got 100000"],
    ["a missing workload", { name: "ghost" }, { replicas: "1" }, "NotFound", "scaleWorkload: read the scale of deployment NS/ghost: not found"],
  ])("refuses %s", async (_, target, params, reason, message) => {
    const outcome = await run(target, params);
    expect(outcome).toMatchObject({ ok: false, reason });
    expect(!outcome.ok && outcome.message).toContain(message.replace("NS", namespace));
  });
});
