import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type {
  KubeConfig} from "@kubernetes/client-node";
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
  V1ResourceAttributes,
  V1SelfSubjectAccessReview,
  V1SelfSubjectAccessReviewSpec,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionType } from "../../src/api/v1alpha1/index.ts";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget, type TargetInput } from "../../src/actions/target.ts";
import { undoAction } from "../../src/actions/undo.ts";
import { createSecretResolver } from "../../src/connectors/secret-resolver.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { applyOperatorRbac, serviceAccountConfig } from "../../hack/local/operator-identity.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

// The operator's permissions come from config/rbac only: these tests apply those manifests to a
// real API server (RBAC authorization on) and run the actions with a token of the ServiceAccount
// they bind, then with one bound to the core role alone.
const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
const suffix = randomBytes(3).toString("hex");
const node = `rbac-node-${suffix}`;
const limitedBinding = `kube-soar-limited-${suffix}`;
let admin: KubeConfig;
let objects: KubernetesObjectApi;
let namespace: string;
let operator: ActionClients;
let limited: ActionClients;
let operatorConfig: KubeConfig;

async function allowed(config: KubeConfig, attributes: { verb: string; resource: string; group?: string; namespace?: string; subresource?: string }): Promise<boolean> {
  const review = new V1SelfSubjectAccessReview();
  review.spec = new V1SelfSubjectAccessReviewSpec();
  review.spec.resourceAttributes = Object.assign(new V1ResourceAttributes(), attributes);
  const answer = await config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({ body: review });
  return answer.status?.allowed === true;
}

async function run(clients: ActionClients, type: ActionType, target: TargetInput, params: Record<string, string> = {}): Promise<ActionOutcome> {
  const resolved = resolveActionTarget(type, target, { namespace, node });
  if (!resolved.ok) return resolved;
  return executeAction(type, { clients, protectedNodes: undefined, playbookNamespace: namespace, incident: { namespace, name: "inc-1" }, target: resolved.target, params, dryRun: false, logger });
}

beforeAll(async () => {
  admin = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(admin);
  await applyOperatorRbac(admin);
  namespace = await createTestNamespace(admin, "act-rbac");
  const pod = { spec: { containers: [{ name: "app", image: "registry.example/web:1" }] } };
  await objects.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-0", namespace }, ...pod });
  await objects.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace }, ...pod });
  await objects.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "untouched", namespace }, ...pod });
  await objects.create({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
  await objects.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, ...pod } },
  });
  await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "hook", namespace }, stringData: { token: "rbac-secret-token" } });
  await objects.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "limited", namespace } });
  await objects.create({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: limitedBinding },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "kube-soar-manager" },
    subjects: [{ kind: "ServiceAccount", name: "limited", namespace }],
  });
  operatorConfig = await serviceAccountConfig(admin, "soar-system", "kube-soar");
  const limitedConfig = await serviceAccountConfig(admin, namespace, "limited");
  operator = createActionClients(operatorConfig);
  limited = createActionClients(limitedConfig);
  await waitFor(async () => (await allowed(operatorConfig, { verb: "patch", group: "apps", resource: "deployments", subresource: "scale", namespace })) && (await allowed(limitedConfig, { verb: "get", resource: "secrets", namespace })), {
    timeoutMs: 20_000,
    description: "the RBAC bindings to take effect",
  });
});

afterAll(async () => {
  await admin.makeApiClient(RbacAuthorizationV1Api).deleteClusterRoleBinding({ name: limitedBinding });
  const core = admin.makeApiClient(CoreV1Api);
  await core.deleteNode({ name: node });
  await core.deleteNamespace({ name: namespace });
});

describe("config/rbac grants each action family what it needs", () => {
  it.each<[ActionType, TargetInput, Record<string, string>]>([
    ["isolatePod", { name: "web-0" }, { allowNamespaces: "forensics" }],
    ["label", { name: "web-0" }, { tier: "quarantine" }],
    ["annotate", { kind: "Node" }, { "security.example.com/note": "suspicious" }],
    ["cordonNode", {}, {}],
    ["scaleWorkload", { kind: "Deployment", name: "web" }, { replicas: "0" }],
  ])("%s and its undo run as the operator's ServiceAccount", async (type, target, params) => {
    const outcome = await run(operator, type, target, params);
    expect(outcome).toMatchObject({ ok: true, alreadyApplied: false });
    if (!outcome.ok || outcome.undo === undefined) throw new Error(`${type} must return an undo record`);
    expect(await undoAction({ clients: operator, dryRun: false, logger }, outcome.undo)).toMatchObject({ ok: true });
  });

  it("lets the operator delete and evict pods, read owners, and ask for logs", async () => {
    expect(await run(operator, "deletePod", { name: "web-1" }, { minHealthyReplicas: "0" })).toMatchObject({ ok: true, outputs: { deleted: "true" } });
    expect(await run(operator, "evictPod", { name: "web-0" })).toMatchObject({ ok: true });
    expect(await run(operator, "captureLogs", { name: "ghost" })).toMatchObject({ ok: false, reason: "NotFound" });
  });

  it("lets the operator read a Connector's Secret at call time", async () => {
    const lookup = await createSecretResolver(operatorConfig.makeApiClient(CoreV1Api), namespace).key({ name: "hook", key: "token" });
    expect(lookup.ok && lookup.value.reveal()).toBe("rbac-secret-token");
  });
});

describe("an action whose role is not bound", () => {
  it.each<[ActionType, string, TargetInput, Record<string, string>]>([
    ["isolatePod", "kube-soar-action-isolation", { name: "untouched" }, {}],
    ["label", "kube-soar-action-labeling", { name: "untouched" }, { tier: "quarantine" }],
    ["deletePod", "kube-soar-action-pod-deletion", { name: "untouched" }, {}],
    ["evictPod", "kube-soar-action-pod-deletion", { name: "untouched" }, {}],
    ["cordonNode", "kube-soar-action-node-cordon", {}, {}],
    ["scaleWorkload", "kube-soar-action-scaling", { kind: "Deployment", name: "web" }, { replicas: "1" }],
    ["captureLogs", "kube-soar-action-log-capture", { name: "untouched" }, {}],
  ])("%s fails with Forbidden naming %s", async (type, role, target, params) => {
    const outcome = await run(limited, type, target, params);
    expect(outcome).toMatchObject({ ok: false, reason: "Forbidden", retryable: false });
    expect(!outcome.ok && outcome.message).toMatch(new RegExp(`^${type}: .+ is forbidden \\(.+\\); grant the operator's ServiceAccount the rules of the ClusterRole ${role} \\(config/rbac; Helm value rbac\\.actions\\.[a-zA-Z]+\\)$`));
  });

  it("fails the undo the same way", async () => {
    const outcome = await undoAction({ clients: limited, dryRun: false, logger }, { action: "cordonNode", node });
    expect(outcome).toMatchObject({ ok: false, reason: "Forbidden" });
    expect(!outcome.ok && outcome.message).toContain("the rules of the ClusterRole kube-soar-action-node-cordon (config/rbac; Helm value rbac.actions.nodeCordon)");
  });
});
