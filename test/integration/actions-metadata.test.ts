import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients, mergePatchOptions } from "../../src/actions/kube-calls.ts";
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
const node = `meta-node-${randomBytes(3).toString("hex")}`;

async function run(type: ActionType, target: TargetInput, params: Record<string, string>, dryRun = false): Promise<ActionOutcome> {
  const resolved = resolveActionTarget(type, target, { namespace, node });
  if (!resolved.ok) return resolved;
  return executeAction(type, { clients, protectedNodes: undefined, playbookNamespace: namespace, incident: { namespace, name: "inc-1" }, target: resolved.target, params, dryRun, logger });
}

function undoOf(outcome: ActionOutcome): UndoRecord {
  if (!outcome.ok || outcome.undo === undefined) throw new Error(`expected an undo record, got ${JSON.stringify(outcome)}`);
  return outcome.undo;
}

async function podMetadata(name: string): Promise<{ labels: Record<string, string>; annotations: Record<string, string> }> {
  const pod = await clients.core.readNamespacedPod({ name, namespace });
  return { labels: pod.metadata?.labels ?? {}, annotations: pod.metadata?.annotations ?? {} };
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  clients = createActionClients(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "act-meta");
  for (const name of ["web-0", "web-1", "web-2"]) {
    await objects.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace, labels: { app: "web", tier: "front" }, annotations: { owner: "team-a" } },
      spec: { containers: [{ name: "app", image: "registry.example/web:1" }] },
    });
  }
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: node, labels: { zone: "a" } } });
});

afterAll(async () => {
  await clients.core.deleteNode({ name: node });
  await clients.core.deleteNamespace({ name: namespace });
});

describe("label", () => {
  it("sets labels, records the earlier values on the object and in the undo record, and undo restores them", async () => {
    const outcome = await run("label", { name: "web-0" }, { tier: "quarantine", "security.example.com/incident": "inc-1" });
    expect(outcome).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `set labels security.example.com/incident, tier on pod ${namespace}/web-0`,
      outputs: { changed: "security.example.com/incident,tier", dryRun: "false" },
      undo: {
        action: "label",
        kind: "Pod",
        namespace,
        name: "web-0",
        applied: { tier: "quarantine", "security.example.com/incident": "inc-1" },
        previous: { tier: "front" },
        previouslyAbsent: ["security.example.com/incident"],
      },
    });
    const labelled = await podMetadata("web-0");
    expect(labelled.labels).toEqual({ app: "web", tier: "quarantine", "security.example.com/incident": "inc-1" });
    expect(JSON.parse(labelled.annotations["soar.kube-soar.io/previous-labels"] ?? "null")).toEqual({ tier: "front", "security.example.com/incident": null });

    const rerun = await run("label", { name: "web-0" }, { tier: "quarantine", "security.example.com/incident": "inc-1" });
    expect(rerun).toMatchObject({ ok: true, alreadyApplied: true, message: `labels already set security.example.com/incident, tier on pod ${namespace}/web-0` });
    expect(undoOf(rerun)).toEqual(undoOf(outcome));

    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(rerun))).toEqual({
      ok: true,
      message: `restored security.example.com/incident, tier on pod ${namespace}/web-0`,
    });
    expect(await podMetadata("web-0")).toEqual({ labels: { app: "web", tier: "front" }, annotations: { owner: "team-a" } });
  });

  it("leaves a label someone changed since the action alone", async () => {
    const outcome = await run("label", { name: "web-1" }, { tier: "quarantine" });
    await clients.core.patchNamespacedPod({ name: "web-1", namespace, body: { metadata: { labels: { tier: "manual" } } }, fieldManager: "someone" }, mergePatchOptions);
    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toEqual({
      ok: true,
      message: `nothing to restore on pod ${namespace}/web-1; left tier as changed since`,
    });
    expect(await podMetadata("web-1")).toEqual({ labels: { app: "web", tier: "manual" }, annotations: { owner: "team-a" } });
  });

  it("labels a node and restores it", async () => {
    const outcome = await run("label", { kind: "Node" }, { zone: "quarantine" });
    expect((await clients.core.readNode({ name: node })).metadata?.labels?.["zone"]).toBe("quarantine");
    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toMatchObject({ ok: true, message: `restored zone on node ${node}` });
    const restored = await clients.core.readNode({ name: node });
    expect(restored.metadata?.labels?.["zone"]).toBe("a");
    expect(restored.metadata?.annotations?.["soar.kube-soar.io/previous-labels"]).toBeUndefined();
  });

  it("writes nothing in dry-run", async () => {
    const outcome = await run("label", { name: "web-2" }, { tier: "quarantine" }, true);
    expect(outcome).toMatchObject({ ok: true, message: `would set labels tier on pod ${namespace}/web-2`, outputs: { dryRun: "true" } });
    expect(outcome.ok && outcome.undo).toBeUndefined();
    expect(await podMetadata("web-2")).toEqual({ labels: { app: "web", tier: "front" }, annotations: { owner: "team-a" } });
  });

  it.each<[string, Record<string, string>, string]>([
    ["no labels", {}, "label: params: give at least one key and its value"],
    ["a reserved key", { "soar.kube-soar.io/isolated": "x" }, 'label: params["soar.kube-soar.io/isolated"]: keys under soar.kube-soar.io/ are reserved for kube-soar'],
    ["an invalid key", { "bad key": "x" }, 'label: params["bad key"]: not a valid label key'],
    ["an invalid value", { tier: "$(rm -rf /)" }, 'label: params["tier"]: not a valid label value (at most 63 letters, digits, \'-\', \'_\', \'.\')'],
  ])("refuses %s", async (_, params, message) => {
    expect(await run("label", { name: "web-2" }, params)).toEqual({ ok: false, reason: "InvalidParams", message, retryable: false });
  });
});

describe("annotate", () => {
  it("sets annotations (any text) and undo restores the earlier ones", async () => {
    const note = 'hostile "note" ${{ event.data }} `id`';
    const outcome = await run("annotate", { name: "web-2" }, { owner: "security", "security.example.com/note": note });
    const annotated = await podMetadata("web-2");
    expect(annotated.annotations["owner"]).toBe("security");
    expect(annotated.annotations["security.example.com/note"]).toBe(note);
    expect(JSON.parse(annotated.annotations["soar.kube-soar.io/previous-annotations"] ?? "null")).toEqual({ owner: "team-a", "security.example.com/note": null });
    expect(undoOf(outcome)).toMatchObject({ previous: { owner: "team-a" }, previouslyAbsent: ["security.example.com/note"] });

    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toMatchObject({ ok: true });
    expect(await podMetadata("web-2")).toEqual({ labels: { app: "web", tier: "front" }, annotations: { owner: "team-a" } });
  });

  it("fails with NotFound for a missing pod", async () => {
    expect(await run("annotate", { name: "ghost" }, { a: "b" })).toMatchObject({ ok: false, reason: "NotFound" });
  });
});
