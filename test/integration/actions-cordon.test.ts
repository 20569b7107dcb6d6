import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget } from "../../src/actions/target.ts";
import { undoAction } from "../../src/actions/undo.ts";
import type { UndoRecord } from "../../src/actions/undo-record.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { parseLabelSelector, type LabelSelector } from "../../src/api/label-selector.ts";
import { settings } from "../../src/config/flags.ts";
import { loadKubeConfig } from "../support/kube.ts";

const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
const suffix = randomBytes(3).toString("hex");
const nodes = { free: `cordon-a-${suffix}`, manual: `cordon-b-${suffix}`, dry: `cordon-c-${suffix}`, controlPlane: `cordon-cp-${suffix}`, cordonedControlPlane: `cordon-cp2-${suffix}` };
const CONTROL_PLANE = { "node-role.kubernetes.io/control-plane": "" };

/** The operator's default protected-nodes selector, as the flag declares it. */
function defaultProtectedNodes(): LabelSelector {
  const parsed = parseLabelSelector(settings["protected-node-selector"].default);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.selector;
}
const protectedNodes = defaultProtectedNodes();
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let clients: ActionClients;

async function run(type: ActionType, node: string, params: Record<string, string> = {}, dryRun = false): Promise<ActionOutcome> {
  const resolved = resolveActionTarget(type, undefined, { node });
  if (!resolved.ok) return resolved;
  return executeAction(type, { clients, protectedNodes, playbookNamespace: "soar", incident: { namespace: "soar", name: "inc-9" }, target: resolved.target, params, dryRun, logger });
}

function undoOf(outcome: ActionOutcome): UndoRecord {
  if (!outcome.ok || outcome.undo === undefined) throw new Error(`expected an undo record, got ${JSON.stringify(outcome)}`);
  return outcome.undo;
}

async function state(name: string): Promise<{ unschedulable: boolean; marker: string | undefined }> {
  const node = await clients.core.readNode({ name });
  return { unschedulable: node.spec?.unschedulable === true, marker: node.metadata?.annotations?.["soar.kube-soar.io/cordoned-by"] };
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  clients = createActionClients(kubeConfig);
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: nodes.free } });
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: nodes.manual }, spec: { unschedulable: true } });
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: nodes.dry } });
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: nodes.controlPlane, labels: CONTROL_PLANE } });
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: nodes.cordonedControlPlane, labels: CONTROL_PLANE }, spec: { unschedulable: true } });
});

afterAll(async () => {
  for (const name of Object.values(nodes)) await clients.core.deleteNode({ name });
});

describe("cordonNode and uncordonNode", () => {
  it("cordons with a marker, reports a re-run as already applied, and undo uncordons", async () => {
    const outcome = await run("cordonNode", nodes.free);
    expect(outcome).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `cordoned node ${nodes.free}`,
      outputs: { node: nodes.free, dryRun: "false" },
      undo: { action: "cordonNode", node: nodes.free },
    });
    expect(await state(nodes.free)).toEqual({ unschedulable: true, marker: "soar/inc-9" });
    const rerun = await run("cordonNode", nodes.free);
    expect(rerun).toMatchObject({ ok: true, alreadyApplied: true, undo: { action: "cordonNode", node: nodes.free } });

    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toEqual({ ok: true, message: `uncordoned node ${nodes.free}` });
    expect(await state(nodes.free)).toEqual({ unschedulable: false, marker: undefined });
    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toEqual({
      ok: true,
      message: `node ${nodes.free} no longer carries kube-soar's cordon; left as is`,
    });
  });

  it("never records an undo for a node a person cordoned", async () => {
    const outcome = await run("cordonNode", nodes.manual);
    expect(outcome).toEqual({
      ok: true,
      alreadyApplied: true,
      message: `node ${nodes.manual} was already cordoned, not by kube-soar; undo will leave it cordoned`,
      outputs: { node: nodes.manual, dryRun: "false" },
    });
    expect(await undoAction({ clients, dryRun: false, logger }, { action: "cordonNode", node: nodes.manual })).toMatchObject({ ok: true });
    expect(await state(nodes.manual)).toEqual({ unschedulable: true, marker: undefined });
  });

  it("uncordons, and its undo cordons again", async () => {
    const outcome = await run("uncordonNode", nodes.manual);
    expect(outcome).toMatchObject({ ok: true, alreadyApplied: false, message: `uncordoned node ${nodes.manual}` });
    expect(await state(nodes.manual)).toEqual({ unschedulable: false, marker: undefined });
    expect(await run("uncordonNode", nodes.manual)).toMatchObject({ ok: true, alreadyApplied: true, message: `node ${nodes.manual} is already schedulable` });
    expect(await undoAction({ clients, dryRun: false, logger }, undoOf(outcome))).toEqual({ ok: true, message: `cordoned node ${nodes.manual} again` });
    expect(await state(nodes.manual)).toEqual({ unschedulable: true, marker: undefined });
  });

  it("changes nothing in dry-run", async () => {
    expect(await run("cordonNode", nodes.dry, {}, true)).toMatchObject({ ok: true, message: `would cordon node ${nodes.dry}` });
    expect(await state(nodes.dry)).toEqual({ unschedulable: false, marker: undefined });
  });

  it.each<[string, string, Record<string, string>, string]>([
    ["a missing node", `ghost-${suffix}`, {}, "NotFound"],
    ["a parameter", nodes.dry, { force: "true" }, "InvalidParams"],
  ])("refuses %s", async (_, node, params, reason) => {
    expect(await run("cordonNode", node, params)).toMatchObject({ ok: false, reason });
  });
});

describe("protected nodes (the default selector: control-plane nodes)", () => {
  const refusal = (action: string, node: string): ActionOutcome => ({
    ok: false,
    reason: "ProtectedNode",
    message: `${action}: node ${node} is protected: its labels match the protected-node selector "node-role.kubernetes.io/control-plane"`,
    retryable: false,
  });

  it("refuses to cordon a control-plane node, which stays schedulable", async () => {
    expect(await run("cordonNode", nodes.controlPlane)).toEqual(refusal("cordonNode", nodes.controlPlane));
    expect(await state(nodes.controlPlane)).toEqual({ unschedulable: false, marker: undefined });
  });

  it("refuses to uncordon a cordoned control-plane node, which stays cordoned", async () => {
    expect(await run("uncordonNode", nodes.cordonedControlPlane)).toEqual(refusal("uncordonNode", nodes.cordonedControlPlane));
    expect(await state(nodes.cordonedControlPlane)).toEqual({ unschedulable: true, marker: undefined });
  });

  it("refuses to label or annotate a control-plane node, which keeps its metadata", async () => {
    for (const action of ["label", "annotate"] as const) {
      const resolved = resolveActionTarget(action, { kind: "Node", name: nodes.controlPlane });
      if (!resolved.ok) throw new Error(resolved.message);
      const outcome = await executeAction(action, { clients, protectedNodes, playbookNamespace: "soar", incident: { namespace: "soar", name: "inc-9" }, target: resolved.target, params: { quarantine: "true" }, dryRun: false, logger });
      expect(outcome).toEqual(refusal(action, nodes.controlPlane));
    }
    const node = await clients.core.readNode({ name: nodes.controlPlane });
    expect(node.metadata?.labels).toEqual(CONTROL_PLANE);
    expect(node.metadata?.annotations?.["quarantine"]).toBeUndefined();
  });
});
