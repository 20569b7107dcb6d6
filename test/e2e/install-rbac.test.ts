import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { generateCertificates } from "../../hack/harness/certificates.ts";
import { FAKE_NODE_NAME } from "../../hack/harness/kwok.ts";
import { openHarnessDir, silentLog, type HarnessDir } from "../../hack/harness/harness-dir.ts";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { startChatStandIn, type ChatStandIn } from "../../hack/local/chat-stand-in.ts";
import { applySamples, createTargetPod, waitForPlaybookReadiness } from "../../hack/local/cluster-setup.ts";
import { alertVariant, CRYPTO_MINER_ALERT, publishFalcoAlert, readFalcoAlert, type FalcoAlert } from "../../hack/local/falco-alert.ts";
import { isTerminal } from "../../hack/local/incident-view.ts";
import { samplesForLocalChat } from "../../hack/local/local-chat.ts";
import { serviceAccountConfig } from "../../hack/local/operator-identity.ts";
import { spawnOperator, type OperatorProcess } from "../../hack/local/operator-process.ts";
import { ActionRole } from "../../src/api/v1alpha1/action-catalog.ts";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { manifestFile, manifests, only, runTool, tool, type Manifest } from "../support/install-tools.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

// The operator as the chart installs it, minus the container: the chart's ServiceAccount, roles
// and bindings are applied as rendered, the operator process authenticates with a token of that
// ServiceAccount only (no client certificate) and gets the rendered Deployment's arguments. The
// e2e cluster is shared with other test files: the release name is unique (its ClusterRoles are
// named after it and deleted at the end), the chart watches only this test's namespaces, and the
// cluster-wide admission policies and soar-approver are left out (other files write approvals
// as the admin).

const CHART = "charts/kube-soar";
/** The sample Playbook the sample alert triggers. */
const PLAYBOOK = "falco-crypto-miner";
/** What the Pod's downward-API environment gives the rendered arguments (`$(POD_NAME)`). */
const POD_ENV: Readonly<Record<string, string>> = { POD_NAME: "kube-soar-install-rbac" };
/** The rendered Deployment binds these on 0.0.0.0 at fixed ports; here they listen on loopback. */
const LOOPBACK_BINDS = { "probe-bind": "127.0.0.1:0", "metrics-bind": "127.0.0.1:0", "receiver-bind": "127.0.0.1:0" };
/** A Secret-mounted file of the Deployment; the launch writes its own receiver token instead. */
const MOUNTED_FILE_FLAGS = ["receiver-token-file"];
const BINDING_KINDS = ["RoleBinding", "ClusterRoleBinding"];

const release = `kube-soar-${randomBytes(3).toString("hex")}`;
let admin: KubeConfig;
let namespace = "";
let targetNamespace = "";
let harness: HarnessDir | undefined;
let nats: RunningNats | undefined;
let connection: NatsConnection | undefined;
let chat: ChatStandIn | undefined;
let operator: OperatorProcess | undefined;
/** The operator's RBAC as applied, for the cleanup. */
let applied: Manifest[] = [];
let serviceAccountToken = "";
const received: string[] = [];
let baseAlert: FalcoAlert;

/** `helm template` of the release with this test's values, plus `extra`. */
async function render(...extra: string[]): Promise<Manifest[]> {
  if (nats === undefined) throw new Error("NATS is not running");
  return manifests(
    await tool(
      "helm", "template", release, CHART, "-n", namespace,
      "--set", "admission.enabled=false,rbac.soarApprover=false",
      "--set", `watchNamespaces={${namespace},${targetNamespace}}`,
      "--set", `nats.servers={${nats.url}}`,
      // The local Slack stand-in listens on loopback, which Connectors may not reach by default.
      "--set", "operator.connectorAllowedDestinations={127.0.0.1/32}",
      ...extra,
    ),
  );
}

/**
 * The operator's own RBAC among rendered objects: its ServiceAccount, the bindings naming it and
 * the roles they bind (the roles for people and Prometheus are left out).
 */
function operatorRbac(objects: readonly Manifest[], serviceAccount: string): Manifest[] {
  const isOperator = (subject: { kind: string; name: string; namespace?: string }): boolean =>
    subject.kind === "ServiceAccount" && subject.name === serviceAccount && subject.namespace === namespace;
  const bindings = objects.filter((object) => BINDING_KINDS.includes(object.kind) && (object["subjects"] as { kind: string; name: string }[]).some(isOperator));
  const bound = new Set(bindings.map((binding) => `${(binding["roleRef"] as { kind: string; name: string }).kind}/${binding.metadata.namespace ?? ""}/${(binding["roleRef"] as { name: string }).name}`));
  const roles = objects.filter((object) => bound.has(`${object.kind}/${object.kind === "Role" ? (object.metadata.namespace ?? "") : ""}/${object.metadata.name}`));
  return [only(objects, "ServiceAccount", serviceAccount), ...roles, ...bindings];
}

/** The rendered container's arguments as `flag → value`, `$(VAR)` expanded from {@link POD_ENV} as the kubelet does. */
function renderedFlags(deployment: Manifest): Record<string, string> {
  const args = (deployment["spec"] as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]?.args ?? [];
  const flags: Record<string, string> = {};
  for (const arg of args) {
    const match = /^--([a-z0-9-]+)=(.*)$/.exec(arg);
    if (match === null) throw new Error(`rendered argument ${JSON.stringify(arg)} is not --flag=value`);
    const [, flag = "", value = ""] = match;
    flags[flag] = value.replace(/\$\(([A-Z_]+)\)/g, (_whole, name: string) => {
      const expanded = POD_ENV[name];
      if (expanded === undefined) throw new Error(`rendered argument ${arg} uses $(${name}), which this test does not provide`);
      return expanded;
    });
  }
  return flags;
}

function key(object: Manifest): string {
  return `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}

async function incidentOf(uuid: string): Promise<Incident> {
  const custom = admin.makeApiClient(CustomObjectsApi);
  return await waitFor(
    async () => {
      const list = (await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident })) as { items: Incident[] };
      const incident = list.items.find((candidate) => candidate.spec.event?.id === uuid);
      return incident !== undefined && isTerminal(incident) ? incident : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250, description: `the Incident of alert ${uuid} to finish` },
  );
}

function step(incident: Incident, name: string): { phase: string; message: string } {
  const state = incident.status?.playbooks?.find((run) => run.name === PLAYBOOK)?.steps?.find((candidate) => candidate.name === name);
  return { phase: state?.phase ?? "absent", message: state?.message ?? "" };
}

/** Publishes the sample alert about a fresh Pod of the target namespace; resolves with its uuid. */
async function alertAbout(pod: string): Promise<string> {
  if (connection === undefined) throw new Error("not connected to NATS");
  await createTargetPod(admin, { namespace: targetNamespace, name: pod, container: "worker", nodeName: FAKE_NODE_NAME });
  const alert = alertVariant(baseAlert, { namespace: targetNamespace, pod });
  await publishFalcoAlert(jetstream(connection), alert);
  return alert.uuid ?? "";
}

beforeAll(async () => {
  admin = loadKubeConfig();
  await ensureCrds(admin);
  namespace = await createTestNamespace(admin, "install-rbac");
  targetNamespace = await createTestNamespace(admin, "install-rbac-target");
  harness = await openHarnessDir({ prefix: "kube-soar-install-rbac-", log: silentLog });
  nats = await startNats({ binDir: inject("binDir") });
  connection = await connect({ servers: nats.url });
  const certificates = await generateCertificates(join(harness.path, "chat-tls"));
  chat = await startChatStandIn({ certFile: certificates.servingCert, keyFile: certificates.servingKey, onMessage: (text) => received.push(text) });
  const chatTarget = { url: chat.url, caPem: await readFile(certificates.caCert, "utf8") };
  await applySamples(admin, namespace, (samples) =>
    samplesForLocalChat(samples, chatTarget).filter((sample) => sample.kind !== "Playbook" || sample.metadata.name === PLAYBOOK),
  );
  baseAlert = await readFalcoAlert(CRYPTO_MINER_ALERT);
}, 120_000);

afterAll(async () => {
  if (operator !== undefined && operator.exitStatus === undefined) await operator.kill();
  await connection?.close().catch(() => undefined);
  await nats?.stop();
  await chat?.close();
  await harness?.close();
  if (applied.length > 0) await runTool("kubectl", ["delete", "--ignore-not-found", "--wait=false", "-f", await manifestFile(applied)]);
  const core = admin.makeApiClient(CoreV1Api);
  for (const name of [namespace, targetNamespace]) if (name !== "") await core.deleteNamespace({ name }).catch(() => undefined);
});

describe("the operator with the chart's ServiceAccount and RBAC (not admin)", () => {
  it("answers the sample alert end to end with the rendered roles and arguments, and fails a step Forbidden once its role is gone", { timeout: 300_000 }, async () => {
    if (harness === undefined || nats === undefined) throw new Error("the setup did not finish");
    onTestFailed(async () => { console.log(await operator?.describe(200)); });
    const objects = await render();
    const deployment = only(objects, "Deployment", release);
    const serviceAccount = (deployment["spec"] as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName;
    applied = operatorRbac(objects, serviceAccount);
    await tool("kubectl", "apply", "-f", await manifestFile(applied));

    // What a Pod of the Deployment would hold: a token of the ServiceAccount, no client certificate.
    const identity = await serviceAccountConfig(admin, namespace, serviceAccount);
    const user = identity.getCurrentUser();
    expect(user?.name).toBe(serviceAccount);
    expect(user?.certData ?? user?.certFile).toBeUndefined();
    serviceAccountToken = user?.token ?? "";
    expect(serviceAccountToken).not.toBe("");
    const kubeconfig = join(harness.path, "operator.kubeconfig");
    await writeFile(kubeconfig, identity.exportConfig(), { mode: 0o600 });

    const rendered = renderedFlags(deployment);
    expect(rendered).toMatchObject({ namespace, "watch-namespaces": `${namespace},${targetNamespace}`, "metrics-auth": "kubernetes", "nats-servers": nats.url });
    const flags = Object.fromEntries(Object.entries(rendered).filter(([flag]) => !MOUNTED_FILE_FLAGS.includes(flag)));
    operator = await spawnOperator({
      name: "operator",
      kubeconfig,
      natsUrl: nats.url,
      namespace,
      identity: POD_ENV["POD_NAME"] ?? "",
      flags: { ...flags, ...LOOPBACK_BINDS },
      logFile: harness.logFile("operator"),
      registry: harness.registry,
    });
    await operator.waitUntilStarted();
    await operator.waitUntilReady();

    // --metrics-auth kubernetes checks a scrape's token with a TokenReview and a
    // SubjectAccessReview made as the ServiceAccount: 403 (not 503) means both were allowed, and
    // the ServiceAccount itself was never granted /metrics.
    expect((await operator.metrics()).status).toBe(401);
    expect(await operator.metrics(serviceAccountToken)).toMatchObject({ status: 403 });

    const readiness = await waitForPlaybookReadiness(admin, namespace);
    expect(readiness).toEqual([expect.objectContaining({ name: PLAYBOOK, status: "True" })]);
    const answered = await incidentOf(await alertAbout("report-gen-7f9c-kq2lz"));
    expect(answered.status?.phase).toBe("Succeeded");
    for (const name of ["isolate", "logs", "forensics", "notify"]) expect(step(answered, name), name).toMatchObject({ phase: "Succeeded" });
    expect(received).toEqual([expect.stringContaining(`Crypto-miner traffic from ${targetNamespace}/report-gen-7f9c-kq2lz`)]);
    const forbidden = (await operator.logLines()).filter((line) => /forbidden/i.test(JSON.stringify(line)));
    expect(forbidden).toEqual([]);

    // Negative control: the release rendered without the log-capture family differs by exactly
    // its roles and bindings; removed from the cluster, the same step fails Forbidden as the
    // ServiceAccount, while the families it still holds keep working.
    const withoutLogs = new Set(operatorRbac(await render("--set", "rbac.actions.logCapture=false"), serviceAccount).map(key));
    const removed = applied.filter((object) => !withoutLogs.has(key(object)));
    expect(removed.map(key).sort()).toEqual(
      [namespace, targetNamespace].flatMap((where) => ["Role", "RoleBinding"].map((kind) => `${kind}/${where}/${release}-action-log-capture`)).sort(),
    );
    await tool("kubectl", "delete", "-f", await manifestFile(removed));
    const subject = `system:serviceaccount:${namespace}:${serviceAccount}`;
    await waitFor(async () => (await runTool("kubectl", ["auth", "can-i", "get", "pods", "--subresource=log", "-n", targetNamespace, `--as=${subject}`])).stdout.trim() === "no", {
      timeoutMs: 30_000,
      description: `${subject} to lose get pods/log`,
    });
    const refused = await incidentOf(await alertAbout("report-gen-7f9c-x2b8r"));
    expect(step(refused, "isolate")).toMatchObject({ phase: "Succeeded" });
    const logs = step(refused, "logs");
    expect(logs.phase).toBe("Failed");
    expect(logs.message).toContain(`User "${subject}" cannot get resource "pods/log"`);
    expect(logs.message).toContain(`the rules of the ClusterRole ${ActionRole.LogCapture} (config/rbac; Helm value rbac.actions.logCapture)`);
    const events = await admin.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${refused.metadata.name ?? ""}` });
    expect(events.items.map((event) => `${event.type ?? ""} ${event.reason ?? ""}`)).toContain("Warning Forbidden");
  });
});
