import { readFileSync, readdirSync } from "node:fs";
import { AdmissionregistrationV1Api, ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { GROUP, Plural, TenancyPolicy, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ConnectorSpec, Incident, IncidentApproval, PlaybookSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { POLICY_SETTLE_MS } from "../../src/policy/index.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, stepOf, type TestControllers } from "./reconciler-helpers.ts";

// Tenancy enforced by the API server: the policies of config/admission, checked against the
// writer's own RBAC, with tenant identities made by impersonation (never the admin). The
// bindings are the shipped ones, scoped at install time to this file's namespace so that the
// other test files sharing the control plane (which write approvals as the admin) are not
// bound by them.
//
//   mallory  writes kube-soar objects; cannot read Secrets, create Jobs or Pods
//   dev      like mallory, and may create Jobs, get Secret app-creds, impersonate ServiceAccount builder
//   bob      edits Incidents (an edit-like role), cannot approve
//   alice    soar-approver
//   ops      like mallory, and may delete and patch Pods and patch deployments/scale
const admissionDir = new URL("../../config/admission/", import.meta.url);
const rbacDir = new URL("../../config/rbac/", import.meta.url);
let admin: KubeConfig;
let objects: KubernetesObjectApi;
let namespace: string;

function manifestsOf(directory: URL, file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(new URL(file, directory), "utf8")).map((document) => document.toJS() as KubernetesObject);
}

/** A client acting as `user` (the admin's credentials, with Impersonate-User). */
function as(user: string): CustomObjectsApi {
  const config = new KubeConfig();
  config.loadFromString(admin.exportConfig());
  config.users = config.users.map((entry) => ({ ...entry, impersonateUser: user }));
  return config.makeApiClient(CustomObjectsApi);
}

/** The API server's message when `write` is refused; fails the test when it succeeds. */
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

async function createConnector(user: string, name: string, spec: ConnectorSpec): Promise<unknown> {
  const body = { apiVersion: `${GROUP}/${VERSION}`, kind: "Connector", metadata: { name, namespace }, spec };
  return await as(user).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, body });
}

async function createPlaybook(user: string, name: string, spec: PlaybookSpec): Promise<unknown> {
  const body = { apiVersion: `${GROUP}/${VERSION}`, kind: "Playbook", metadata: { name, namespace }, spec };
  return await as(user).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Playbook, body });
}

async function readIncident(name: string): Promise<Incident> {
  return (await admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name })) as Incident;
}

/** `user` replaces the Incident's approvals with what `change` makes of them. */
async function writeApprovals(user: string, name: string, change: (approvals: IncidentApproval[]) => IncidentApproval[]): Promise<unknown> {
  const incident = await readIncident(name);
  const body = { ...incident, spec: { ...incident.spec, approvals: change(incident.spec.approvals ?? []) } };
  return await as(user).replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name, body });
}

function decision(by: string, step = "gate", decisionValue: "approve" | "reject" = "approve"): IncidentApproval {
  return { playbook: "contain", step, decision: decisionValue, by };
}

const jobPlaybook = (job: NonNullable<PlaybookSpec["steps"][number]["job"]>, extra: Partial<PlaybookSpec> = {}): PlaybookSpec => ({
  trigger: { types: ["falco.rule.output.v1"] },
  steps: [{ name: "collect", job }],
  ...extra,
});

async function bind(user: string, role: { kind: "Role" | "ClusterRole"; name: string }): Promise<void> {
  await objects.create({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: `${user}-${role.name}`, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
  });
}

async function role(name: string, rules: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[]): Promise<void> {
  await objects.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace }, rules });
}

/** Applies the shipped policies and bindings, each binding limited to the namespaces `namespaceSelector` selects. */
async function installAdmission(namespaceSelector: object): Promise<void> {
  const files = readdirSync(admissionDir).filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml");
  for (const manifest of files.flatMap((file) => manifestsOf(admissionDir, file))) {
    const scoped =
      manifest.kind === "ValidatingAdmissionPolicyBinding" ? { ...manifest, spec: { ...(manifest as { spec: object }).spec, matchResources: { namespaceSelector } } } : manifest;
    await objects.patch(scoped, undefined, undefined, "kube-soar-tests", true, PatchStrategy.ServerSideApply);
  }
}

beforeAll(async () => {
  admin = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(admin);
  await ensureCrds(admin);
  namespace = await createTestNamespace(admin, "tenancy-vap");

  const approver = manifestsOf(rbacDir, "soar-approver-role.yaml");
  for (const manifest of approver) await objects.patch(manifest, undefined, undefined, "kube-soar-tests", true, PatchStrategy.ServerSideApply);
  await role("soar-writer", [{ apiGroups: [GROUP], resources: ["playbooks", "connectors", "incidents"], verbs: ["get", "list", "create", "update", "patch"] }]);
  await role("job-runner", [
    { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["app-creds"] },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"], resourceNames: ["builder"] },
  ]);
  await role("pod-operator", [
    { apiGroups: [""], resources: ["pods"], verbs: ["delete", "patch"] },
    { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] },
  ]);
  await role("incident-editor", [{ apiGroups: [GROUP], resources: ["incidents"], verbs: ["get", "list", "update", "patch"] }]);
  await bind("mallory", { kind: "Role", name: "soar-writer" });
  await bind("dev", { kind: "Role", name: "soar-writer" });
  await bind("dev", { kind: "Role", name: "job-runner" });
  await bind("bob", { kind: "Role", name: "incident-editor" });
  await bind("alice", { kind: "ClusterRole", name: "soar-approver" });
  await bind("ops", { kind: "Role", name: "soar-writer" });
  await bind("ops", { kind: "Role", name: "pod-operator" });

  await installAdmission({ matchLabels: { "kubernetes.io/metadata.name": namespace } });
  // Policies take effect once the API server's admission has loaded them.
  let attempt = 0;
  await waitFor(async () => (await refusal(createConnector("mallory", `probe-${String(attempt++)}`, { type: "http", url: "https://hooks.example.com", auth: { type: "bearer", secretRef: { name: "probe", key: "token" } } }))).length > 0, {
    timeoutMs: 30_000,
    description: "the tenancy policies to be enforced",
  });
});

afterAll(async () => {
  for (const name of Object.values(TenancyPolicy)) {
    await admin.makeApiClient(AdmissionregistrationV1Api).deleteValidatingAdmissionPolicyBinding({ name });
  }
  await admin.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

describe("Connector as a Secret reader", () => {
  const webhook = { type: "http", url: "https://hooks.example.com/incidents" } as const;

  it("refuses a Connector naming a Secret its writer may not get", async () => {
    const message = await refusal(createConnector("mallory", "exfil", { ...webhook, auth: { type: "bearer", secretRef: { name: "db-creds", key: "password" } } }));
    expect(message).toContain(`spec.auth.secretRef.name: you may not get Secret "db-creds" in namespace "${namespace}"`);
  });

  it("checks every Secret the spec names, TLS and URL included", async () => {
    const auth = { type: "bearer", secretRef: { name: "app-creds", key: "token" } } as const;
    const ca = await refusal(createConnector("dev", "ca", { ...webhook, auth, tls: { caSecretRef: { name: "db-creds", key: "ca.crt" } } }));
    expect(ca).toContain(`spec.tls.caSecretRef.name: you may not get Secret "db-creds" in namespace "${namespace}"`);
    const client = await refusal(createConnector("dev", "client", { ...webhook, auth, tls: { clientCertSecretRef: { name: "db-tls" } } }));
    expect(client).toContain(`spec.tls.clientCertSecretRef.name: you may not get Secret "db-tls"`);
    const url = await refusal(createConnector("dev", "url", { type: "slack", urlSecretRef: { name: "db-creds", key: "url" } }));
    expect(url).toContain(`spec.urlSecretRef.name: you may not get Secret "db-creds"`);
    const pagerduty = await refusal(createConnector("dev", "pd", { type: "pagerduty", pagerduty: { routingKeySecretRef: { name: "db-creds", key: "key" } } }));
    expect(pagerduty).toContain(`spec.pagerduty.routingKeySecretRef.name: you may not get Secret "db-creds"`);
  });

  it("allows a Connector whose Secrets its writer may get", async () => {
    await createConnector("dev", "hook", { ...webhook, auth: { type: "bearer", secretRef: { name: "app-creds", key: "token" } } });
  });
});

describe("Job steps as privilege escalation", () => {
  it("refuses Job steps from a writer who may not create Jobs", async () => {
    const message = await refusal(createPlaybook("mallory", "escalate", jobPlaybook({ image: "busybox", serviceAccountName: "admin-sa", env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "db-creds", key: "token" } } }] })));
    expect(message).toContain(`spec.steps[0].job: you may not create Jobs in namespace "${namespace}"`);
  });

  it("allows the same writer a Playbook without Job steps", async () => {
    await createPlaybook("mallory", "ask", { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "gate", approval: {} }] });
  });

  it("refuses a Job step running as a ServiceAccount its writer may not impersonate", async () => {
    const message = await refusal(createPlaybook("dev", "as-admin", jobPlaybook({ image: "busybox", serviceAccountName: "admin-sa" })));
    expect(message).toContain(`spec.steps[0].job.serviceAccountName ("admin-sa"): a Job step may run as a ServiceAccount other than "default" only if you may impersonate it`);
    const playbookWide = await refusal(createPlaybook("dev", "as-admin-wide", jobPlaybook({ image: "busybox" }, { serviceAccountName: "admin-sa" })));
    expect(playbookWide).toContain(`spec.serviceAccountName ("admin-sa")`);
  });

  it("refuses a Job step reading a Secret its writer may not get", async () => {
    const message = await refusal(createPlaybook("dev", "leak", jobPlaybook({ image: "busybox", env: [{ name: "A", value: "x" }, { name: "TOKEN", valueFrom: { secretKeyRef: { name: "db-creds", key: "token" } } }] })));
    expect(message).toContain(`spec.steps[0].job.env[1].valueFrom.secretKeyRef.name ("db-creds"): a Job step may read only Secrets you may get`);
  });

  it("allows Job steps within the writer's rights", async () => {
    await createPlaybook("dev", "collect", jobPlaybook({ image: "busybox", serviceAccountName: "builder", env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "app-creds", key: "token" } } }] }));
    await createPlaybook("dev", "collect-default", jobPlaybook({ image: "busybox", serviceAccountName: "default" }));
  });
});

describe("Action steps as privilege escalation", () => {
  const acting = (...actions: NonNullable<PlaybookSpec["steps"][number]["action"]>[]): PlaybookSpec => ({
    trigger: { types: ["falco.rule.output.v1"] },
    steps: actions.map((action, index) => ({ name: `act-${String(index)}`, action })),
  });

  it("refuses an action from a writer who does not hold the rights the operator uses for it", async () => {
    const message = await refusal(createPlaybook("mallory", "evict", acting({ type: "isolatePod" }, { type: "deletePod" })));
    expect(message).toContain(
      `spec.steps[0].action (isolatePod): create networkpolicies, spec.steps[0].action (isolatePod): patch pods, spec.steps[1].action (deletePod): delete pods: an action step needs its writer to hold the rights the operator uses for it, and you do not hold every one of these in namespace "${namespace}"`,
    );
  });

  it("allows actions within the writer's rights", async () => {
    await createPlaybook("ops", "tidy", acting({ type: "deletePod" }, { type: "label", target: { kind: "Pod" }, params: { quarantined: "true" } }));
    await createPlaybook("ops", "shrink", acting({ type: "scaleWorkload", target: { kind: "Deployment" }, params: { replicas: "0" } }));
  });

  it("checks every kind an action may resolve to when the step does not name one, Nodes cluster-wide", async () => {
    const label = await refusal(createPlaybook("ops", "tag", acting({ type: "label", params: { quarantined: "true" } })));
    expect(label).toContain("spec.steps[0].action (label): patch nodes cluster-wide");
    const scale = await refusal(createPlaybook("ops", "scale-any", acting({ type: "scaleWorkload", params: { replicas: "0" } })));
    expect(scale).toContain("spec.steps[0].action (scaleWorkload): patch statefulsets/scale");
    const logs = await refusal(createPlaybook("ops", "logs", acting({ type: "captureLogs" })));
    expect(logs).toContain("spec.steps[0].action (captureLogs): get pods/log");
  });
});

describe("Forged approvals", () => {
  beforeAll(async () => {
    const body = { apiVersion: `${GROUP}/${VERSION}`, kind: "Incident", metadata: { name: "inc-1", namespace }, spec: incidentSpec(["contain"]) };
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, body });
  });

  it("refuses an approval recorded in someone else's name", async () => {
    const message = await refusal(writeApprovals("bob", "inc-1", (approvals) => [...approvals, decision("alice")]));
    expect(message).toContain('spec.approvals[0].by: must be your own user name "bob", not "alice"');
  });

  it("refuses an approval from a writer without the verb approve", async () => {
    const message = await refusal(writeApprovals("bob", "inc-1", (approvals) => [...approvals, decision("bob")]));
    expect(message).toContain(`spec.approvals[0]: you may not approve Incident "inc-1" in namespace "${namespace}"`);
    expect(message).toContain("soar-approver");
  });

  it("records an approver's own decision, and only appends after it", async () => {
    await writeApprovals("alice", "inc-1", (approvals) => [...approvals, decision("alice")]);
    expect((await readIncident("inc-1")).spec.approvals).toEqual([decision("alice")]);

    const changed = await refusal(writeApprovals("alice", "inc-1", () => [decision("alice", "gate", "reject")]));
    expect(changed).toContain("spec.approvals: recorded decisions may not be changed, removed or reordered");
    const removed = await refusal(writeApprovals("alice", "inc-1", () => []));
    expect(removed).toContain("spec.approvals: recorded decisions may not be changed, removed or reordered");
    const reordered = await refusal(writeApprovals("alice", "inc-1", (approvals) => [decision("alice", "second"), ...approvals]));
    expect(reordered).toContain("spec.approvals: recorded decisions may not be changed, removed or reordered");

    await writeApprovals("alice", "inc-1", (approvals) => [...approvals, decision("alice", "second")]);
    expect((await readIncident("inc-1")).spec.approvals).toEqual([decision("alice"), decision("alice", "second")]);
  });

  it("lets writers who do not touch the approvals change the rest of the Incident", async () => {
    const incident = await readIncident("inc-1");
    await as("bob").replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name: "inc-1", body: { ...incident, spec: { ...incident.spec, assignee: "bob" } } });
  });
});

// The operator's own check, with --verify-tenancy on, in a second namespace the bindings do not
// cover at first (so its objects were written without the policies), then do.
describe("Run-time verification by the operator", () => {
  let tenant: string;
  let soar: SoarObjects;
  let controllers: TestControllers | undefined;
  const jobsPlaybook = jobPlaybook({ image: "busybox", env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "app-creds", key: "token" } } }] });
  const gatedPlaybook: PlaybookSpec = { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "gate", approval: {} }] };

  beforeAll(async () => {
    tenant = await createTestNamespace(admin, "tenancy-run");
    soar = new SoarObjects(admin, tenant);
    controllers = await startControllers(admin, tenant, { verifyTenancy: true });
  });

  afterAll(async () => {
    await controllers?.stop();
    await admin.makeApiClient(CoreV1Api).deleteNamespace({ name: tenant });
  });

  it("refuses what no binding vouches for: Job steps do not run, Secrets are not used, approvals are not honoured", async () => {
    await explainFailure(soar, controllers, async () => {
      await soar.createPlaybook("jobs", jobsPlaybook);
      await soar.createPlaybook("contain", gatedPlaybook);
      await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: tenant,
        plural: Plural.Connector,
        body: { apiVersion: `${GROUP}/${VERSION}`, kind: "Connector", metadata: { name: "hook", namespace: tenant }, spec: { type: "http", url: "https://hooks.example.com", auth: { type: "bearer", secretRef: { name: "app-creds", key: "token" } } } },
      });

      const refused = await waitFor(async () => {
        const ready = conditionOf(await soar.playbook("jobs"));
        return ready?.reason === "TenancyUnverified" ? ready : undefined;
      }, { timeoutMs: 20_000, description: "Playbook jobs to be refused" });
      expect(refused.status).toBe("False");
      expect(refused.message).toBe(
        `spec.steps[0].job: the admission policy binding kube-soar-playbook-jobs does not select namespace ${tenant}, so the API server did not check this object's writer may use it; install config/admission`,
      );
      await waitFor(async () => conditionOf(await soar.playbook("contain"))?.status === "True", { timeoutMs: 20_000, description: "Playbook contain (no Job step) to be Ready" });
      const connector = await waitFor(async () => {
        const read = (await admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: tenant, plural: Plural.Connector, name: "hook" })) as { status?: { conditions?: never[] } };
        return conditionOf(read)?.reason === "TenancyUnverified" ? conditionOf(read) : undefined;
      }, { timeoutMs: 20_000, description: "Connector hook to be refused" });
      expect(connector.message).toContain("spec.auth.secretRef: the admission policy binding kube-soar-connector-secrets does not select namespace");

      await soar.createIncident("inc-jobs", incidentSpec(["jobs"]));
      const pending = await waitFor(async () => {
        const run = (await soar.incident("inc-jobs")).status?.playbooks?.[0];
        return run?.message?.includes("TenancyUnverified") === true ? run : undefined;
      }, { timeoutMs: 20_000, description: "the run of jobs to wait on its refusal" });
      expect(pending.phase).toBe("Pending");
      expect(await soar.jobs()).toEqual([]);

      await soar.createIncident("inc-forged", incidentSpec(["contain"], { approvals: [{ playbook: "contain", step: "gate", decision: "approve", by: "alice" }] }));
      const gate = await waitFor(async () => {
        const state = stepOf(await soar.incident("inc-forged"), "gate");
        return state?.message?.includes("not honoured") === true ? state : undefined;
      }, { timeoutMs: 20_000, description: "the forged approval to be ignored" });
      expect(gate.phase).toBe("Waiting");
      expect(gate.message).toContain(`kube-soar-incident-approvals does not select namespace ${tenant}`);
    });
  });

  it("keeps refusing what was written before the binding, until it is re-applied; never honours approvals from before", async () => {
    await explainFailure(soar, controllers, async () => {
      await installAdmission({ matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [namespace, tenant] }] });
      const stale = await waitFor(async () => {
        const ready = conditionOf(await soar.playbook("jobs"));
        return ready?.message.includes("re-apply") === true ? ready : undefined;
      }, { timeoutMs: 20_000, description: "Playbook jobs to be asked to be re-applied" });
      expect(stale).toMatchObject({ status: "False", reason: "TenancyUnverified" });
      expect(stale.message).toContain("before the admission policy binding kube-soar-playbook-jobs was in force");
      const gate = await waitFor(async () => {
        const state = stepOf(await soar.incident("inc-forged"), "gate");
        return state?.message?.includes("predates") === true ? state : undefined;
      }, { timeoutMs: 20_000, description: "the forged approval to stay ignored" });
      expect(gate.phase).toBe("Waiting");
      expect(gate.decision).toBeUndefined();

      // A write the API server checks against its writer (the admin may do all of it).
      await new Promise((resolve) => setTimeout(resolve, POLICY_SETTLE_MS + 1_000));
      const current = await soar.playbook("jobs");
      await admin.makeApiClient(CustomObjectsApi).replaceNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: tenant,
        plural: Plural.Playbook,
        name: "jobs",
        body: { ...current, metadata: { ...current.metadata, annotations: { "example.com/reviewed": "yes" } } },
      });
      await waitFor(async () => conditionOf(await soar.playbook("jobs"))?.status === "True", { timeoutMs: 20_000, description: "Playbook jobs to be Ready once re-applied" });
      await waitFor(async () => (await soar.jobs()).length > 0, { timeoutMs: 20_000, description: "the Job step of inc-jobs to run" });
      expect(stepOf(await soar.incident("inc-forged"), "gate")?.phase).toBe("Waiting");
    });
  });
});

