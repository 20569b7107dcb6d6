import { readFileSync } from "node:fs";
import { AdmissionregistrationV1Api, ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { GROUP, Plural, TenancyPolicy, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { AlertSuppression, AlertSuppressionSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { MAX_SUPPRESSION_HOURS } from "../../src/api/v1alpha1/schema/alert-suppression.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

// The suppression author policy of config/admission, as the API server applies it, with tenant
// identities made by impersonation. The binding is this file's own (named after its namespace
// and scoped to it): tenancy-admission.test.ts binds the shipped name to its own namespace on
// the same control plane.
//
//   carol  writes AlertSuppressions in the test namespace, nothing else
const policyFile = new URL("../../config/admission/alert-suppression-author-policy.yaml", import.meta.url);
const HOUR_MS = 3_600_000;
let admin: KubeConfig;
let objects: KubernetesObjectApi;
let namespace: string;
let bindingName: string;

/** A client acting as `user` (the admin's credentials, with Impersonate-User). */
function as(user: string): CustomObjectsApi {
  const config = new KubeConfig();
  config.loadFromString(admin.exportConfig());
  config.users = config.users.map((entry) => ({ ...entry, impersonateUser: user }));
  return config.makeApiClient(CustomObjectsApi);
}

/** The API server's status when `write` is refused; fails the test when it succeeds. */
async function refusal(write: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await write;
  } catch (error: unknown) {
    if (error instanceof ApiException && typeof error.body === "string") {
      const status = JSON.parse(error.body) as { code?: number; message?: string };
      return { code: status.code ?? 0, message: status.message ?? "" };
    }
    throw error;
  }
  throw new Error("the write was allowed");
}

function spec(createdBy: string, expiresInMs: number): AlertSuppressionSpec {
  return { types: ["falco.rule.output.v1"], reason: "known noise", createdBy, expiresAt: new Date(Date.now() + expiresInMs).toISOString() };
}

async function create(user: string, name: string, body: AlertSuppressionSpec): Promise<AlertSuppression> {
  const object = { apiVersion: `${GROUP}/${VERSION}`, kind: "AlertSuppression", metadata: { name, namespace }, spec: body };
  return (await as(user).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.AlertSuppression, body: object })) as AlertSuppression;
}

async function replaceSpec(user: string, name: string, change: (current: AlertSuppressionSpec) => AlertSuppressionSpec): Promise<AlertSuppression> {
  const current = (await admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.AlertSuppression, name })) as AlertSuppression;
  const body = { ...current, spec: change(current.spec) };
  return (await as(user).replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.AlertSuppression, name, body })) as AlertSuppression;
}

beforeAll(async () => {
  admin = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(admin);
  await ensureCrds(admin);
  namespace = await createTestNamespace(admin, "suppression-vap");
  bindingName = `${TenancyPolicy.SuppressionAuthor}-${namespace}`;
  await objects.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "suppression-writer", namespace }, rules: [{ apiGroups: [GROUP], resources: [Plural.AlertSuppression], verbs: ["get", "list", "create", "update", "patch"] }] });
  await objects.create({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "carol-suppression-writer", namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "suppression-writer" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "carol" }],
  });
  const [policy] = parseAllDocuments(readFileSync(policyFile, "utf8")).map((document) => document.toJS() as KubernetesObject);
  if (policy === undefined) throw new Error("the suppression author policy file is empty");
  await objects.patch(policy, undefined, undefined, "kube-soar-tests", true, PatchStrategy.ServerSideApply);
  await objects.create({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: bindingName },
    spec: { policyName: TenancyPolicy.SuppressionAuthor, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } } },
  });
  let attempt = 0;
  await waitFor(async () => (await refusal(create("carol", `probe-${String(attempt++)}`, spec("mallory", HOUR_MS)))).code === 403, {
    timeoutMs: 30_000,
    description: "the suppression author policy to be enforced",
  });
});

afterAll(async () => {
  await admin.makeApiClient(AdmissionregistrationV1Api).deleteValidatingAdmissionPolicyBinding({ name: bindingName });
  await admin.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

describe("who created a suppression", () => {
  it("refuses a createdBy naming someone else than the writer", async () => {
    const refused = await refusal(create("carol", "forged", spec("alice", HOUR_MS)));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain('spec.createdBy: must be your own user name "carol", not "alice"');
  });

  it("records the writer's own name, which no later write changes", async () => {
    const created = await create("carol", "own", spec("carol", HOUR_MS));
    expect(created.spec.createdBy).toBe("carol");
    const changed = await refusal(replaceSpec("carol", "own", (current) => ({ ...current, createdBy: "alice" })));
    expect(changed.code).toBe(422);
    expect(changed.message).toContain("createdBy is immutable");
    const edited = await replaceSpec("carol", "own", (current) => ({ ...current, reason: "narrowed to one rule", rules: ["Terminal shell in container"] }));
    expect(edited.spec).toMatchObject({ createdBy: "carol", reason: "narrowed to one rule" });
  });
});

describe("how long a suppression lasts", () => {
  it(`refuses an expiresAt more than ${String(MAX_SUPPRESSION_HOURS)}h after creation, and an edit that would extend one past it`, async () => {
    const refused = await refusal(create("carol", "forever", spec("carol", (MAX_SUPPRESSION_HOURS + 1) * HOUR_MS)));
    expect(refused.code).toBe(422);
    expect(refused.message).toContain(`spec.expiresAt: must be at most ${String(MAX_SUPPRESSION_HOURS)}h after the suppression was created`);
    const longest = await create("carol", "month", spec("carol", (MAX_SUPPRESSION_HOURS - 1) * HOUR_MS));
    expect(longest.metadata.name).toBe("month");
    const extended = await refusal(replaceSpec("carol", "month", (current) => ({ ...current, expiresAt: new Date(Date.now() + (MAX_SUPPRESSION_HOURS + 24) * HOUR_MS).toISOString() })));
    expect(extended.message).toContain("spec.expiresAt: must be at most");
  });

  it("lets a suppression be ended early by setting a past expiresAt", async () => {
    await create("carol", "ended", spec("carol", HOUR_MS));
    const ended = await replaceSpec("carol", "ended", (current) => ({ ...current, expiresAt: new Date(Date.now() - 1_000).toISOString() }));
    expect(Date.parse(ended.spec.expiresAt)).toBeLessThan(Date.now());
  });
});

describe("what the CRD refuses for every writer", () => {
  it("refuses a suppression without any criterion", async () => {
    const refused = await refusal(create("carol", "everything", { reason: "all", createdBy: "carol", expiresAt: new Date(Date.now() + HOUR_MS).toISOString() }));
    expect(refused.code).toBe(422);
    expect(refused.message).toContain("at least one of match, namespaces, rules or types is required");
  });
});
