import { readFileSync } from "node:fs";
import { AdmissionregistrationV1Api, ApiException, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { GROUP, Plural, TenancyPolicy, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ThreatFeedSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { loopbackDestinations } from "../../src/testing/loopback-destinations.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { deleteNamespace, FeedObjects, startFeedOperator, type FeedOperator } from "./threat-feed-helpers.ts";

// The ThreatFeed sources policy of config/admission, checked against the writer's own RBAC with
// tenant identities made by impersonation. The shipped policy and binding are installed under a
// name of this file's own (the shipped names are cluster singletons that tenancy-admission.test.ts
// installs for its namespace), with the binding scoped to this file's namespace.
//
//   mallory  writes ThreatFeeds; cannot read ConfigMaps or Secrets
//   dev      like mallory, and may get ConfigMap ips and Secret feed-token
const admissionDir = new URL("../../config/admission/", import.meta.url);
let admin: KubeConfig;
let objects: KubernetesObjectApi;
let namespace: string;
let policyName: string;

/** A manifest as written in YAML: plain data. */
interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

function manifestOf(file: string): Manifest {
  const [document] = parseAllDocuments(readFileSync(new URL(file, admissionDir), "utf8"));
  if (document === undefined) throw new Error(`config/admission/${file} is empty`);
  return document.toJS() as Manifest;
}

function as(user: string): CustomObjectsApi {
  const config = new KubeConfig();
  config.loadFromString(admin.exportConfig());
  config.users = config.users.map((entry) => ({ ...entry, impersonateUser: user }));
  return config.makeApiClient(CustomObjectsApi);
}

async function createFeed(user: string, name: string, spec: ThreatFeedSpec): Promise<unknown> {
  const body = { apiVersion: `${GROUP}/${VERSION}`, kind: "ThreatFeed", metadata: { name, namespace }, spec };
  return await as(user).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.ThreatFeed, body });
}

async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (error: unknown) {
    if (error instanceof ApiException && typeof error.body === "string") {
      const status = JSON.parse(error.body) as { code?: number; message?: string };
      expect(status.code).toBe(403);
      return status.message ?? "";
    }
    throw error;
  }
  throw new Error("the write was allowed");
}

async function apply(manifest: Manifest): Promise<void> {
  await objects.patch(manifest, undefined, undefined, "kube-soar-threatfeed-tests", true, PatchStrategy.ServerSideApply);
}

beforeAll(async () => {
  admin = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(admin);
  await ensureCrds(admin);
  namespace = await createTestNamespace(admin, "tf-vap");
  policyName = `${TenancyPolicy.ThreatFeedSources}-${namespace}`;

  await apply({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "feed-writer", namespace }, rules: [{ apiGroups: [GROUP], resources: ["threatfeeds"], verbs: ["get", "create", "update"] }] });
  await apply({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "feed-reader", namespace },
    rules: [
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get"], resourceNames: ["ips"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["feed-token"] },
    ],
  });
  for (const [user, role] of [["mallory", "feed-writer"], ["dev", "feed-writer"], ["dev", "feed-reader"]] as const) {
    await apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `${user}-${role}`, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
    });
  }

  const policy = manifestOf("threatfeed-sources-policy.yaml");
  const binding = manifestOf("threatfeed-sources-binding.yaml");
  await apply({ ...policy, metadata: { ...policy.metadata, name: policyName } });
  const matchResources = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } };
  await apply({ ...binding, metadata: { ...binding.metadata, name: policyName }, spec: { ...binding.spec, policyName, matchResources } });
  let attempt = 0;
  await waitFor(async () => (await refusal(createFeed("mallory", `probe-${String(attempt++)}`, { secretRef: { name: "probe", key: "list" } }))).length > 0, {
    timeoutMs: 30_000,
    description: "the ThreatFeed sources policy to be enforced",
  });
});

afterAll(async () => {
  const api = admin.makeApiClient(AdmissionregistrationV1Api);
  await api.deleteValidatingAdmissionPolicyBinding({ name: policyName });
  await api.deleteValidatingAdmissionPolicy({ name: policyName });
  await deleteNamespace(admin, namespace);
});

describe("a ThreatFeed as a ConfigMap and Secret reader", () => {
  it("is refused when it names a ConfigMap or Secret its writer may not get, whichever field names it", async () => {
    expect(await refusal(createFeed("mallory", "cm", { configMapRef: { name: "ips", key: "list" } }))).toContain(`spec.configMapRef.name: you may not get ConfigMap "ips" in namespace "${namespace}"`);
    expect(await refusal(createFeed("mallory", "secret", { secretRef: { name: "db-creds", key: "password" } }))).toContain(`spec.secretRef.name: you may not get Secret "db-creds" in namespace "${namespace}"`);
    const url = "https://feeds.example/ips.txt";
    expect(await refusal(createFeed("dev", "ca", { http: { url, caSecretRef: { name: "db-creds", key: "ca.crt" } } }))).toContain(`spec.http.caSecretRef.name: you may not get Secret "db-creds"`);
    expect(await refusal(createFeed("dev", "auth", { http: { url, authHeader: { name: "Authorization", secretRef: { name: "db-creds", key: "token" } } } }))).toContain(
      `spec.http.authHeader.secretRef.name: you may not get Secret "db-creds"`,
    );
    expect(await refusal(createFeed("dev", "other-cm", { configMapRef: { name: "kube-root-ca.crt", key: "ca.crt" } }))).toContain(`spec.configMapRef.name: you may not get ConfigMap "kube-root-ca.crt"`);
  });

  it("is allowed when its writer may get what it names, or when it names nothing", async () => {
    await createFeed("mallory", "inline", { inline: [{ value: "203.0.113.5" }] });
    await createFeed("mallory", "public", { http: { url: "https://feeds.example/ips.txt" } });
    await createFeed("dev", "ips", { configMapRef: { name: "ips", key: "list" } });
    await createFeed("dev", "private", { http: { url: "https://feeds.example/private.txt", authHeader: { name: "Authorization", secretRef: { name: "feed-token", key: "value" } } } });
  });
});

describe("the loader's tenancy check", () => {
  let operator: FeedOperator | undefined;

  afterAll(async () => {
    await operator?.stop();
  });

  it("does not read a tenant's ConfigMap while no binding of the shipped policy covers its namespace, and loads a feed that names nothing", async () => {
    const feeds = new FeedObjects(admin, namespace);
    await feeds.putConfigMap("ips", { list: "198.51.100.5\n" });
    // The shipped binding does not cover this namespace (this file's copy has another name).
    operator = await startFeedOperator(admin, { namespaces: [namespace], operatorNamespace: "kube-soar-system", destinations: loopbackDestinations("kube-soar-system"), verifyTenancy: true });
    const refused = await feeds.waitForStatus("ips", "TenancyUnverified", (feed) => FeedObjects.readiness(feed)?.reason === "TenancyUnverified");
    expect(FeedObjects.readiness(refused)?.message).toMatch(new RegExp(`^spec\\.configMapRef: the admission policy binding ${TenancyPolicy.ThreatFeedSources} `));
    expect(refused.status?.indicators).toBeUndefined();
    expect(operator.store.get(`${namespace}/ips`)).toBeUndefined();

    const inline = await feeds.waitForStatus("inline", "Loaded", (feed) => FeedObjects.readiness(feed)?.reason === "Loaded");
    expect(inline.status?.indicators?.total).toBe(1);
  });
});
