import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget, type TargetInput } from "../../src/actions/target.ts";
import { undoAction } from "../../src/actions/undo.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { isNotFound } from "../../src/runtime/errors.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";

const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let clients: ActionClients;
let namespace: string;

async function createPod(name: string, extra: { hostNetwork?: boolean } = {}): Promise<void> {
  await objects.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: "web" } },
    spec: { containers: [{ name: "app", image: "registry.example/web:1" }], ...extra },
  });
}

async function run(type: ActionType, target: TargetInput, params: Record<string, string> = {}, dryRun = false): Promise<ActionOutcome> {
  const resolved = resolveActionTarget(type, target, { namespace });
  if (!resolved.ok) return resolved;
  return executeAction(type, {
    clients,
    protectedNodes: undefined,
    playbookNamespace: namespace,
    incident: { namespace, name: "inc-1", resources: { namespace } },
    target: resolved.target,
    params,
    dryRun,
    logger,
  });
}

async function policyExists(name: string): Promise<boolean> {
  try {
    await clients.networking.readNamespacedNetworkPolicy({ name, namespace });
    return true;
  } catch (error: unknown) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  clients = createActionClients(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "act-isolate");
  await Promise.all([createPod("web-0"), createPod("web-1"), createPod("host-0", { hostNetwork: true })]);
});

afterAll(async () => {
  await clients.core.deleteNamespace({ name: namespace });
});

describe("isolatePod", () => {
  it("denies all traffic but the allowed CIDRs and namespaces, idempotently, and its undo removes policy and label", async () => {
    const params = { allowCIDRs: "10.9.0.0/16, 192.168.7.0/24", allowNamespaces: "forensics" };
    const first = await run("isolatePod", { name: "web-0" }, params);
    const pod = await clients.core.readNamespacedPod({ name: "web-0", namespace });
    expect(first).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `isolated pod ${namespace}/web-0 with NetworkPolicy soar-isolate-web-0`,
      outputs: { networkPolicy: "soar-isolate-web-0", isolationLabel: "soar.kube-soar.io/isolated=soar-isolate-web-0", dryRun: "false" },
      undo: { action: "isolatePod", namespace, pod: "web-0", networkPolicy: "soar-isolate-web-0", isolationLabel: "soar-isolate-web-0" },
    });
    expect(pod.metadata?.labels).toEqual({ app: "web", "soar.kube-soar.io/isolated": "soar-isolate-web-0" });

    const policy = await clients.networking.readNamespacedNetworkPolicy({ name: "soar-isolate-web-0", namespace });
    const peers = [
      { ipBlock: { cidr: "10.9.0.0/16" } },
      { ipBlock: { cidr: "192.168.7.0/24" } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "forensics" } } },
    ];
    expect(JSON.parse(JSON.stringify(policy.spec)) as unknown).toEqual({
      podSelector: { matchLabels: { "soar.kube-soar.io/isolated": "soar-isolate-web-0" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ _from: peers }],
      egress: [{ to: peers }],
    });
    expect(policy.metadata?.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Pod", name: "web-0", uid: pod.metadata?.uid }]);
    expect(policy.metadata?.labels).toEqual({ "app.kubernetes.io/managed-by": "kube-soar" });

    const again = await run("isolatePod", { name: "web-0" }, params);
    expect(again).toMatchObject({ ok: true, alreadyApplied: true, message: `already isolated pod ${namespace}/web-0 with NetworkPolicy soar-isolate-web-0` });
    expect(again.ok && again.undo).toEqual(first.ok && first.undo);

    const complete = await run("isolatePod", { name: "web-0" });
    expect(complete).toMatchObject({ ok: true, alreadyApplied: false });
    const converged = await clients.networking.readNamespacedNetworkPolicy({ name: "soar-isolate-web-0", namespace });
    expect([converged.spec?.ingress ?? [], converged.spec?.egress ?? []]).toEqual([[], []]);

    if (!first.ok || first.undo === undefined) throw new Error("isolatePod must return an undo record");
    expect(await undoAction({ clients, dryRun: true, logger }, first.undo)).toMatchObject({ ok: true });
    expect(await policyExists("soar-isolate-web-0")).toBe(true);
    expect((await clients.core.readNamespacedPod({ name: "web-0", namespace })).metadata?.labels?.["soar.kube-soar.io/isolated"]).toBe("soar-isolate-web-0");
    expect(await undoAction({ clients, dryRun: false, logger }, first.undo)).toEqual({
      ok: true,
      message: `deleted NetworkPolicy soar-isolate-web-0 and removed the quarantine label of pod ${namespace}/web-0`,
    });
    expect(await policyExists("soar-isolate-web-0")).toBe(false);
    expect((await clients.core.readNamespacedPod({ name: "web-0", namespace })).metadata?.labels).toEqual({ app: "web" });
    expect(await undoAction({ clients, dryRun: false, logger }, first.undo)).toEqual({ ok: true, message: `pod ${namespace}/web-0 was no longer isolated` });
  });

  it("changes nothing in dry-run and returns no undo record", async () => {
    const outcome = await run("isolatePod", { name: "web-1" }, { allowNamespaces: "forensics" }, true);
    expect(outcome).toEqual({
      ok: true,
      alreadyApplied: false,
      message: `would isolate pod ${namespace}/web-1 with NetworkPolicy soar-isolate-web-1`,
      outputs: { networkPolicy: "soar-isolate-web-1", isolationLabel: "soar.kube-soar.io/isolated=soar-isolate-web-1", dryRun: "true" },
    });
    expect(await policyExists("soar-isolate-web-1")).toBe(false);
    expect((await clients.core.readNamespacedPod({ name: "web-1", namespace })).metadata?.labels).toEqual({ app: "web" });
  });

  it.each<[string, TargetInput, Record<string, string>, string, string]>([
    ["a host-network pod", { name: "host-0" }, {}, "IsolationIneffective", "uses the host network"],
    ["a missing pod", { name: "ghost" }, {}, "NotFound", "isolatePod: read pod"],
    ["a CIDR with host bits", { name: "web-1" }, { allowCIDRs: "10.9.0.1/16" }, "InvalidParams", 'isolatePod: params.allowCIDRs: "10.9.0.1/16": host bits are set'],
    ["an unknown parameter", { name: "web-1" }, { allowCIDR: "10.0.0.0/8" }, "InvalidParams", "isolatePod: params.allowCIDR: unknown parameter"],
  ])("refuses %s", async (_, target, params, reason, message) => {
    const outcome = await run("isolatePod", target, params);
    expect(outcome).toMatchObject({ ok: false, reason });
    expect(!outcome.ok && outcome.message).toContain(message);
    expect(await policyExists(`soar-isolate-${target.name ?? ""}`)).toBe(false);
  });
});
