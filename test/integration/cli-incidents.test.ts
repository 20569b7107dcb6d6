import { CoreV1Api, CustomObjectsApi, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Incident, IncidentList } from "../../src/api/v1alpha1/types.generated.ts";
import { loadCliCluster } from "../../src/cli/cli-kube-config.ts";
import { approvalChange } from "../../src/cli/incident/approval-change.ts";
import { changeIncident } from "../../src/cli/incident/change-incident.ts";
import { stateChange } from "../../src/cli/incident/state-change.ts";
import { IncidentApi } from "../../src/cli/incident-api.ts";
import { kubeFlagsOf } from "../../src/cli/kube-flags.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { bind, cli, installApprovalsPolicy, startCli } from "./cli-helpers.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, stepOf, type TestControllers } from "./reconciler-helpers.ts";

// Every responder command of kubectl soar against the real API server, with the operator's
// controllers running in the test's namespace and the approvals admission policy bound to it.
// People are impersonated (--as, --as-group) by the admin:
//   alice   ClusterRole soar-approver
//   bob     edits Incidents (get, list, patch), may not approve
//   carol   nothing of her own; her group on-call holds soar-approver
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
let admin: KubeConfig;
let namespace: string;
let objects: SoarObjects;
let controllers: TestControllers | undefined;
let unbindPolicy: (() => Promise<void>) | undefined;

/** `kubectl soar <args>` on the harness cluster, in the test namespace. */
function soar(...args: string[]): Promise<Awaited<ReturnType<typeof cli>>> {
  return cli([...args, "--kubeconfig", inject("kubeconfig"), "-n", namespace]);
}

async function incidentWhere(name: string, description: string, check: (incident: Incident) => boolean): Promise<Incident> {
  return await waitFor(async () => {
    const incident = await objects.incident(name);
    return check(incident) ? incident : undefined;
  }, { ...WAIT, description: `Incident ${name}: ${description}` });
}

/** Opens Incident `name` for Playbook contain (or none) and waits until the operator reconciled it. */
async function openIncident(name: string, playbooks: string[] = ["contain"], severity: "high" | "low" = "high"): Promise<Incident> {
  await objects.createIncident(name, incidentSpec(playbooks, { severity, fingerprint: `fp-${name}`, title: `alert ${name}` }));
  const phase = playbooks.length === 0 ? "Succeeded" : "AwaitingApproval";
  return await incidentWhere(name, `phase ${phase}`, (incident) => incident.status?.phase === phase);
}

beforeAll(async () => {
  admin = loadKubeConfig();
  await ensureCrds(admin);
  namespace = await createTestNamespace(admin, "cli-incidents");
  objects = new SoarObjects(admin, namespace);
  unbindPolicy = await installApprovalsPolicy(admin, namespace, `kube-soar-incident-approvals-${namespace}`);
  const rbac = KubernetesObjectApi.makeApiClient(admin);
  await rbac.create({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "incident-editor", namespace },
    rules: [{ apiGroups: [GROUP], resources: [Plural.Incident], verbs: ["get", "list", "watch", "patch"] }],
  });
  await bind(admin, namespace, { kind: "User", name: "alice" }, { kind: "ClusterRole", name: "soar-approver" });
  await bind(admin, namespace, { kind: "User", name: "bob" }, { kind: "Role", name: "incident-editor" });
  await bind(admin, namespace, { kind: "Group", name: "on-call" }, { kind: "ClusterRole", name: "soar-approver" });
  controllers = await startControllers(admin, namespace);
  await objects.createPlaybook("contain", { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "gate", approval: { message: "isolate ${{ incident.resources.pod }}?" } }] });
  await waitFor(async () => conditionOf(await objects.playbook("contain"))?.status === "True", { ...WAIT, description: "Playbook contain to be Ready" });
  // The policy is enforced once the API server loaded it: a forged approval is then refused.
  const forged = await openIncident("probe");
  await waitFor(async () => {
    try {
      await admin.makeApiClient(CustomObjectsApi).replaceNamespacedCustomObject({
        group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name: "probe",
        body: { ...forged, spec: { ...forged.spec, approvals: [{ playbook: "contain", step: "gate", decision: "approve", by: "somebody-else" }] } },
      });
      return false;
    } catch {
      return true;
    }
  }, { ...WAIT, description: "the approvals policy to be enforced" });
});

afterAll(async () => {
  await controllers?.stop();
  await unbindPolicy?.();
  await admin.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

describe("kubectl soar get", () => {
  it("lists Incidents with their columns, filters by label and prints JSON, YAML and names", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("listed-high");
      await openIncident("listed-low", [], "low");
      const table = await soar("get");
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^NAME +SEVERITY +STATE +PHASE +PLAYBOOKS +OCCURRENCES +AGE$/);
      expect(lines.find((line) => line.startsWith("listed-high "))).toMatch(/^listed-high +high +Open +AwaitingApproval +contain +1 +\d+s$/);
      expect(lines.find((line) => line.startsWith("listed-low "))).toMatch(/^listed-low +low +Open +Succeeded +<none> +1 +\d+s$/);

      const selected = await soar("get", "-l", "soar.kube-soar.io/severity=low", "-o", "name");
      expect(selected.stdout).toBe("incident.soar.kube-soar.io/listed-low\n");
      const byPlaybook = await soar("get", "-l", "playbook.soar.kube-soar.io/contain", "-o", "name");
      expect(byPlaybook.stdout).toContain("incident.soar.kube-soar.io/listed-high\n");
      expect(byPlaybook.stdout).not.toContain("listed-low");

      const json = JSON.parse((await soar("get", "listed-high", "-o", "json")).stdout) as Incident;
      expect(json).toMatchObject({ kind: "Incident", metadata: { name: "listed-high", namespace }, status: { waitingApprovals: 1 } });
      expect(json.metadata.managedFields).toBeUndefined();
      const yaml = await soar("get", "-o", "yaml", "-l", "soar.kube-soar.io/severity=low");
      expect(yaml.stdout).toMatch(/^apiVersion: v1\nkind: List\n/);
      expect(yaml.stdout).toContain("name: listed-low");

      const wide = await soar("get", "-A", "-o", "wide", "-l", "soar.kube-soar.io/severity=high");
      const row = wide.stdout.split("\n").find((line) => line.includes(" listed-high "));
      expect(wide.stdout.split("\n")[0]).toMatch(/^NAMESPACE +NAME +SEVERITY +STATE +PHASE +PLAYBOOKS +OCCURRENCES +AGE +WAITING +ASSIGNEE +LAST SEEN +TITLE$/);
      expect(row).toMatch(new RegExp(`^${namespace} +listed-high +high +Open +AwaitingApproval +contain +1 +\\S+ +1 +<none> +\\S+ +alert listed-high$`));
    });
  });

  it("says when nothing matches, and refuses an unknown output format", async () => {
    const none = await soar("get", "-l", "soar.kube-soar.io/state=Nonexistent");
    expect(none).toMatchObject({ code: 0, stdout: "", stderr: `No Incidents found in namespace ${namespace}.\n` });
    const bad = await soar("get", "-o", "xml");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('-o "xml": expected one of wide, json, yaml, name');
  });

  it("names a missing Incident", async () => {
    const missing = await soar("describe", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: Incident "nope" not found in namespace "${namespace}"\n`);
  });
});

describe("kubectl soar approve and reject", () => {
  it("records the approver as the API server knows the caller, and the run goes on", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("approved");
      const run = await soar("approve", "approved", "gate", "--reason", "confirmed miner", "--as", "alice");
      expect(run).toMatchObject({ code: 0, stdout: "incident/approved step contain/gate approved as alice\n" });
      const done = await incidentWhere("approved", "the gate to pass", (incident) => stepOf(incident, "gate", "contain")?.phase === "Succeeded");
      expect(done.spec.approvals).toEqual([{ playbook: "contain", step: "gate", decision: "approve", by: "alice", at: expect.any(String) as string, reason: "confirmed miner" }]);
      expect(stepOf(done, "gate", "contain")?.decision).toMatchObject({ decision: "approve", by: "alice" });

      const again = await soar("approve", "approved", "gate", "--as", "alice");
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("is Succeeded, not waiting for a decision (no step of it waits for a decision)");
    });
  });

  it("rejects as a member of an approving group (--as-group), failing the step", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("rejected");
      const run = await soar("reject", "rejected", "contain/gate", "--as", "carol", "--as-group", "on-call");
      expect(run).toMatchObject({ code: 0, stdout: "incident/rejected step contain/gate rejected as carol\n" });
      const done = await incidentWhere("rejected", "the gate to fail", (incident) => stepOf(incident, "gate", "contain")?.phase === "Failed");
      expect(done.spec.approvals?.[0]).toMatchObject({ decision: "reject", by: "carol" });
      expect(done.status?.timeline?.map((entry) => entry.reason)).toContain("Rejected");
    });
  });

  it("refuses someone who may edit Incidents but not approve, naming soar-approver", async () => {
    await openIncident("refused");
    const run = await soar("approve", "refused", "gate", "--as", "bob");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: forbidden: .*you may not approve Incident "refused".*soar-approver/);
    const nobody = await soar("approve", "refused", "gate", "--as", "mallory");
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('forbidden: incidents.soar.kube-soar.io "refused" is forbidden: User "mallory" cannot get resource "incidents"');
    expect(nobody.stderr).toContain("needs get, list and watch on incidents.soar.kube-soar.io");
    expect((await objects.incident("refused")).spec.approvals).toBeUndefined();
  });

  it("says which steps wait when the named one does not", async () => {
    await openIncident("unknown-step");
    const run = await soar("approve", "unknown-step", "isolate", "--as", "alice");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: Incident "unknown-step" has no step "isolate" (waiting: contain/gate)\n');
  });

  it("decides again when the approvals changed between its read and its write", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("raced");
      const adminApi = new IncidentApi(admin);
      const adminName = await adminApi.userName();
      adminApi.close();
      // Another approver decides a later step between this read and the write.
      const api = racingApi(cliKubeConfigAs("alice"), () => appendAsAdmin("raced", adminName));
      try {
        const done = await changeIncident(api, { namespace, name: "raced", rbac: "" }, (read) => approvalChange(read, { step: "gate", decision: "approve", by: "alice", reason: undefined, now: new Date() }));
        expect(done).toBe("step contain/gate approved as alice");
        expect(api.reads).toBe(2);
        const stored = await objects.incident("raced");
        expect(stored.spec.approvals?.map((approval) => `${approval.step} by ${approval.by}`)).toEqual([`later by ${adminName}`, "gate by alice"]);
      } finally {
        api.close();
      }
    });
  });
});

/** An {@link IncidentApi} whose first read is followed by `write`, another writer's change landing before the patch made from that read. */
function racingApi(kubeConfig: KubeConfig, write: () => Promise<unknown>): IncidentApi & { reads: number } {
  class RacingApi extends IncidentApi {
    reads = 0;

    override async get(namespaceOf: string, name: string): Promise<Incident> {
      const read = await super.get(namespaceOf, name);
      this.reads++;
      if (this.reads === 1) await write();
      return read;
    }
  }
  return new RacingApi(kubeConfig);
}

/** The harness kubeconfig impersonating `user`, as the CLI loads it for `--as`. */
function cliKubeConfigAs(user: string): KubeConfig {
  const io = { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: process.cwd() };
  return loadCliCluster(kubeFlagsOf({ kubeconfig: inject("kubeconfig"), as: user }), io).kubeConfig;
}

/** The admin appends a decision on another step of Incident `name`, as a second approver would. */
async function appendAsAdmin(name: string, adminName: string): Promise<unknown> {
  const current = await objects.incident(name);
  const approvals = [...(current.spec.approvals ?? []), { playbook: "contain", step: "later", decision: "approve" as const, by: adminName }];
  return await admin.makeApiClient(CustomObjectsApi).replaceNamespacedCustomObject({
    group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name,
    body: { ...current, spec: { ...current.spec, approvals } },
  });
}

describe("kubectl soar ack, assign, resolve and close", () => {
  it("moves an Incident through its lifecycle, its state label in the same write", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("handled");
      expect((await soar("ack", "handled", "--as", "bob")).stdout).toBe("incident/handled acknowledged\n");
      const acked = await objects.incident("handled");
      expect(acked.spec.state).toBe("Acknowledged");
      expect(acked.metadata.labels?.["soar.kube-soar.io/state"]).toBe("Acknowledged");
      expect((await soar("ack", "handled")).stdout).toBe("incident/handled unchanged (already Acknowledged)\n");

      expect((await soar("assign", "handled", "dave", "--as", "bob")).stdout).toBe("incident/handled assigned to dave\n");
      expect((await soar("assign", "handled", "--me", "--as", "bob")).stdout).toBe("incident/handled assigned to bob\n");
      expect((await objects.incident("handled")).spec.assignee).toBe("bob");

      expect((await soar("resolve", "handled", "--revert")).stdout).toBe("incident/handled resolved (reversible actions will be undone)\n");
      const resolved = await incidentWhere("handled", "phase Resolved", (incident) => incident.status?.phase === "Resolved");
      expect(resolved.spec).toMatchObject({ state: "Resolved", revert: true });
      expect(resolved.status?.waitingApprovals).toBe(0);

      expect((await soar("close", "handled")).stdout).toBe("incident/handled closed\n");
      const reopened = await soar("ack", "handled");
      expect(reopened).toMatchObject({ code: 1, stderr: 'error: Incident "handled" is Closed: it cannot become Acknowledged again (edit spec.state to reopen it)\n' });
      const closed = await soar("get", "-l", "soar.kube-soar.io/state=Closed", "-o", "name");
      expect(closed.stdout).toContain("incident.soar.kube-soar.io/handled\n");
    });
  });

  it("refuses a change someone may not make, naming the RBAC", async () => {
    await openIncident("guarded");
    const run = await soar("close", "guarded", "--as", "mallory");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("forbidden:");
    expect(run.stderr).toContain('User "mallory" cannot get resource "incidents"');
  });

  it("decides again when the state changed between its read and its write", async () => {
    await openIncident("contested");
    const api = racingApi(admin, () => objects.updateIncidentSpec("contested", (spec) => ({ ...spec, state: "Closed" })));
    try {
      const refused = await changeIncident(api, { namespace, name: "contested", rbac: "" }, (read) => stateChange(read, { to: "Acknowledged" })).catch((error: unknown) => error);
      expect(api.reads).toBe(2);
      expect(refused).toMatchObject({ message: 'Incident "contested" is Closed: it cannot become Acknowledged again (edit spec.state to reopen it)' });
    } finally {
      api.close();
    }
  });
});

describe("the operator keeps an Incident's labels current", () => {
  it("labels an Incident created without them, and follows a state set by another writer", async () => {
    await explainFailure(objects, controllers, async () => {
      const body: Incident = { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Incident", metadata: { name: "relabelled", namespace }, spec: incidentSpec(["contain"], { fingerprint: "fp-relabelled" }) };
      await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, body });
      const labelled = await incidentWhere("relabelled", "labels", (incident) => incident.metadata.labels?.["soar.kube-soar.io/state"] === "Open");
      expect(labelled.metadata.labels).toMatchObject({ "soar.kube-soar.io/severity": "high", "playbook.soar.kube-soar.io/contain": "true" });
      await objects.updateIncidentSpec("relabelled", (spec) => ({ ...spec, state: "Resolved" }));
      await incidentWhere("relabelled", "the state label to follow", (incident) => incident.metadata.labels?.["soar.kube-soar.io/state"] === "Resolved");
    });
  });
});

describe("kubectl soar describe and watch", () => {
  it("describes a real Incident in sections", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("described");
      await soar("approve", "described", "gate", "--reason", "ok", "--as", "alice");
      await incidentWhere("described", "the gate to pass", (incident) => stepOf(incident, "gate", "contain")?.phase === "Succeeded");
      const run = await soar("describe", "described");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Name: +described\nNamespace: +cli-incidents-\w+\nLabels: +/);
      for (const section of ["\nEvent:\n", "\nResources:\n  Namespace: shop\n  Pod:       web-0\n", "\nPlaybooks:\n  contain (generation 1): Succeeded", "\n    gate: Succeeded, attempt 1", "\nApprovals:\n  PLAYBOOK   STEP   DECISION   BY      AGE", "\nTimeline:\n"]) {
        expect(run.stdout).toContain(section);
      }
      expect(run.stdout).toMatch(/\n {2}contain +gate +approve +alice +\S+ +ok\n/);
      expect(run.stdout).toMatch(/ Approved +contain\/gate +approved by alice: ok\n/);
    });
  });

  it("follows an Incident's timeline until it is closed", async () => {
    await explainFailure(objects, controllers, async () => {
      await openIncident("watched");
      const watch = startCli(["watch", "watched", "--timeout", "60s", "--kubeconfig", inject("kubeconfig"), "-n", namespace]);
      await waitFor(() => watch.output.stdout.includes("ApprovalPending"), { ...WAIT, description: "the timeline so far" });
      await soar("approve", "watched", "gate", "--as", "alice");
      await waitFor(() => watch.output.stdout.includes("Approved  contain/gate: approved by alice"), { ...WAIT, description: "the approval in the watch" });
      await soar("close", "watched");
      const ended = await watch.done;
      expect(ended.code).toBe(0);
      expect(ended.stdout.trimEnd().split("\n").at(-1)).toBe("incident/watched closed");
      expect(ended.stdout.match(/RunStarted/g)).toHaveLength(1);
    });
  });

  it("follows a namespace, naming each Incident, until its timeout", async () => {
    const watch = startCli(["watch", "--timeout", "8s", "--kubeconfig", inject("kubeconfig"), "-n", namespace]);
    await waitFor(() => watch.output.stdout.includes(" watched  "), { ...WAIT, description: "the namespace's timelines" });
    await objects.createIncident("newcomer", incidentSpec(["contain"], { fingerprint: "fp-newcomer", title: "alert newcomer" }));
    await waitFor(() => watch.output.stdout.includes("newcomer  Opened  high: alert newcomer"), { ...WAIT, description: "the new Incident in the watch" });
    const ended = await watch.done;
    expect(ended.code).toBe(0);
    const list = (await admin.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident })) as IncidentList;
    expect(list.items.length).toBeGreaterThan(1);
  });
});
