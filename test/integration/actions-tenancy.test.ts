import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import { createActionClients } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget, type TargetInput } from "../../src/actions/target.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { resolveApprovalPolicy } from "../../src/policy/approval-policy.ts";
import { evaluateGuards } from "../../src/policy/evaluate-guards.ts";
import type { GuardPolicy } from "../../src/policy/guard-input.ts";
import { protectedNamespaces } from "../../src/policy/protected-namespace-guard.ts";
import { isNotFound } from "../../src/runtime/errors.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";

// Tenancy end to end: the guard chain decides on the resolved target, and only an allowed step
// reaches the API server. Namespaces: two tenants and the operator's (privileged) namespace.
const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let clients: ActionClients;
let tenantA: string;
let tenantB: string;
let operatorNamespace: string;
let policy: GuardPolicy;

async function guardedRun(playbookNamespace: string, type: ActionType, target: TargetInput): Promise<unknown> {
  const resolved = resolveActionTarget(type, target, { namespace: playbookNamespace });
  if (!resolved.ok) return resolved;
  const decision = evaluateGuards(
    {
      policy,
      playbook: { namespace: playbookNamespace, name: "containment", dryRun: false },
      step: { name: "contain", kind: "action", action: type, target: resolved.target },
      graph: [{ name: "contain", needs: [] }],
    },
    { now: () => new Date() },
  );
  if (!decision.allowed) return decision;
  const outcome = await executeAction(type, { clients, protectedNodes: undefined, playbookNamespace, incident: { namespace: playbookNamespace, name: "inc-1" }, target: resolved.target, params: {}, dryRun: false, logger });
  return { allowed: true, ok: outcome.ok };
}

async function isolated(namespace: string): Promise<boolean> {
  try {
    await clients.networking.readNamespacedNetworkPolicy({ name: "soar-isolate-web-0", namespace });
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
  [tenantA, tenantB, operatorNamespace] = await Promise.all([
    createTestNamespace(kubeConfig, "tenant-a"),
    createTestNamespace(kubeConfig, "tenant-b"),
    createTestNamespace(kubeConfig, "soar-op"),
  ]);
  policy = {
    protectedNamespaces: protectedNamespaces(operatorNamespace),
    privilegedNamespace: operatorNamespace,
    dryRun: false,
    approvalRequired: resolveApprovalPolicy(),
  };
  for (const namespace of [tenantA, tenantB, operatorNamespace]) {
    await objects.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-0", namespace }, spec: { containers: [{ name: "app", image: "registry.example/web:1" }] } });
  }
});

afterAll(async () => {
  for (const name of [tenantA, tenantB, operatorNamespace]) await clients.core.deleteNamespace({ name });
});

describe("tenancy across namespaces", () => {
  it("lets a tenant's Playbook act in its own namespace", async () => {
    expect(await guardedRun(tenantA, "isolatePod", { name: "web-0" })).toEqual({ allowed: true, ok: true });
    expect(await isolated(tenantA)).toBe(true);
  });

  it("refuses a tenant's Playbook acting in another tenant's namespace, which stays untouched", async () => {
    expect(await guardedRun(tenantA, "isolatePod", { namespace: tenantB, name: "web-0" })).toEqual({
      allowed: false,
      guard: "tenancy",
      reason: "TenancyViolation",
      message: `step contain: Playbook ${tenantA}/containment may act only in namespace ${tenantA}, not on Pod ${tenantB}/web-0; only Playbooks in ${operatorNamespace} may act across namespaces`,
    });
    expect(await isolated(tenantB)).toBe(false);
  });

  it("refuses a tenant's Playbook acting on a Node", async () => {
    expect(await guardedRun(tenantB, "cordonNode", { name: "worker-1" })).toMatchObject({ allowed: false, guard: "tenancy" });
  });

  it("lets a Playbook of the privileged namespace act in a tenant's namespace", async () => {
    expect(await guardedRun(operatorNamespace, "isolatePod", { namespace: tenantB, name: "web-0" })).toEqual({ allowed: true, ok: true });
    expect(await isolated(tenantB)).toBe(true);
  });

  it("protects the operator's own namespace even from its own Playbooks", async () => {
    expect(await guardedRun(operatorNamespace, "isolatePod", { name: "web-0" })).toMatchObject({ allowed: false, guard: "protectedNamespace", reason: "ProtectedNamespace" });
    expect(await isolated(operatorNamespace)).toBe(false);
  });
});
