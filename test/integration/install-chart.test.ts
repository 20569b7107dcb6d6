import { randomBytes } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";
import type { Manifest } from "../support/install-tools.ts";
import { manifestFile, manifests, only, runTool, tool } from "../support/install-tools.ts";
import { TenancyPolicy } from "../../src/api/v1alpha1/constants.ts";

// The chart, checked by the real helm and the harness API server. The integration control
// plane runs no controller-manager, so a Deployment never creates Pods: restricted compliance is
// proven by creating the rendered Pod template as a Pod (server-side dry run) in a namespace
// that enforces the restricted Pod Security Standard, next to a Pod that admission must refuse.
// Other test files share the control plane and write approvals as the admin, so the real install
// leaves the cluster-wide tenancy policies out (admission.enabled=false) and soar-approver (its
// name is the same in every release); their templates are checked by server-side dry runs.

const CHART = "charts/kube-soar";
const EVERY_TOGGLE = "test/fixtures/chart/every-toggle.yaml";
const SERVICE_MONITOR_API = "monitoring.coreos.com/v1/ServiceMonitor";
const ADMISSION_KINDS = ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

let kubeConfig: KubeConfig;
let namespace = "";
let watched: string[] = [];
// The release name holds the chart name, so objects are named after the release alone.
const release = `kube-soar-${randomBytes(3).toString("hex")}`;

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: { containers: { securityContext?: unknown }[]; securityContext?: unknown };
}

function podTemplate(deployment: Manifest): PodTemplate {
  return (deployment["spec"] as { template: PodTemplate }).template;
}

async function createPodDryRun(name: string, template: PodTemplate): Promise<{ code: number; stderr: string }> {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels: template.metadata?.labels ?? {} }, spec: template.spec };
  return await runTool("kubectl", ["create", "--dry-run=server", "-f", await manifestFile([pod])]);
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  namespace = await createTestNamespace(kubeConfig, "install-chart");
  await tool("kubectl", "label", "namespace", namespace, "pod-security.kubernetes.io/enforce=restricted");
  watched = [await createTestNamespace(kubeConfig, "install-team-a"), await createTestNamespace(kubeConfig, "install-team-b")];
});

/** Values for installing on the shared control plane: no cluster-wide tenancy policies, no soar-approver. */
const SHARED_CLUSTER = ["--set", "admission.enabled=false,rbac.soarApprover=false"];

afterAll(async () => {
  await runTool("helm", ["uninstall", release, "-n", namespace]);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  for (const name of [namespace, ...watched]) await core.deleteNamespace({ name }).catch(() => undefined);
});

describe("helm lint and template", () => {
  it("lints strictly with the default values and with every toggle on", async () => {
    await tool("helm", "lint", "--strict", CHART);
    await tool("helm", "lint", "--strict", CHART, "-f", EVERY_TOGGLE, "--set", `watchNamespaces={${watched.join(",")}}`);
  });

  it("rejects a value of the wrong type or an unknown key, naming the field", async () => {
    const wrongType = await runTool("helm", ["template", "x", CHART, "--set", "replicaCount=two"]);
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.stderr).toContain("replicaCount");
    const wrongChoice = await runTool("helm", ["template", "x", CHART, "--set", "operator.logLevel=loud"]);
    expect(wrongChoice.code).not.toBe(0);
    expect(wrongChoice.stderr).toContain("logLevel");
    const unknown = await runTool("helm", ["template", "x", CHART, "--set", "receiver.tokne=x"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("tokne");
  });

  it("renders operator values as flags only when they differ from the operator's defaults", async () => {
    const args = (objects: Manifest[]): string[] =>
      (only(objects, "Deployment")["spec"] as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]?.args ?? [];
    const defaults = args(manifests(await tool("helm", "template", release, CHART, "-n", namespace)));
    expect(defaults.filter((arg) => arg.startsWith("--log-level") || arg.startsWith("--dry-run"))).toEqual([]);
    const toggled = args(manifests(await tool("helm", "template", release, CHART, "-n", namespace, "-f", EVERY_TOGGLE)));
    expect(toggled).toEqual(
      expect.arrayContaining(["--protected-namespaces=payments", "--log-level=debug", "--dry-run=true", "--paused=true", "--dedup-window=30m", "--unmatched-min-severity=critical", "--max-concurrent-reconciles=4"]),
    );
  });

  it("renders the ServiceMonitor only when enabled and the monitoring API exists", async () => {
    const kinds = async (...args: string[]): Promise<string[]> => manifests(await tool("helm", "template", release, CHART, ...args)).map((object) => object.kind);
    expect(await kinds("--set", "serviceMonitor.enabled=true")).not.toContain("ServiceMonitor");
    expect(await kinds("--set", "serviceMonitor.enabled=true", "--api-versions", SERVICE_MONITOR_API)).toContain("ServiceMonitor");
    expect(await kinds("--api-versions", SERVICE_MONITOR_API)).not.toContain("ServiceMonitor");
  });

  it("renders manifests the API server accepts, with default values and with every toggle on", async () => {
    for (const extra of [[], ["-f", EVERY_TOGGLE, "--set", `watchNamespaces={${watched.join(",")}}`]]) {
      const rendered = await tool("helm", "template", release, CHART, "-n", namespace, ...extra);
      await tool("kubectl", "apply", "--dry-run=server", "-f", await manifestFile(manifests(rendered)));
    }
  });

  it("binds the operator's roles in the watched namespaces and keeps only rules on cluster-scoped resources cluster-wide", async () => {
    const objects = manifests(await tool("helm", "template", release, CHART, "-n", namespace, "--set", `watchNamespaces={${watched.join(",")}}`));
    const roleNamespaces = objects.filter((object) => object.kind === "Role" && object.metadata.name === `${release}-manager`).map((object) => object.metadata.namespace);
    expect(roleNamespaces.sort()).toEqual([namespace, ...watched].sort());
    const boundToOperator = new Set(objects.filter((object) => object.kind === "ClusterRoleBinding").map((object) => (object["roleRef"] as { name: string }).name));
    const clusterRules = objects
      .filter((object) => object.kind === "ClusterRole" && boundToOperator.has(object.metadata.name))
      .flatMap((object) => (object["rules"] as { resources: string[] }[]).flatMap((rule) => rule.resources));
    expect([...new Set(clusterRules)].sort()).toEqual(["nodes", "subjectaccessreviews", "tokenreviews", "validatingadmissionpolicybindings"]);
  });

  it("serves metrics on a port of their own, probes apart, scraped with Prometheus's token and open to metricsFrom", async () => {
    const objects = manifests(await tool("helm", "template", release, CHART, "-n", namespace, "-f", EVERY_TOGGLE, "--api-versions", SERVICE_MONITOR_API));
    const container = (only(objects, "Deployment")["spec"] as { template: { spec: { containers: { args: string[]; ports: unknown[]; livenessProbe: unknown }[] } } }).template.spec.containers[0];
    expect(container?.args).toEqual(
      expect.arrayContaining(["--probe-bind=0.0.0.0:8081", "--metrics-bind=0.0.0.0:8443", "--metrics-auth=kubernetes", "--metrics-tls-cert-file=/etc/kube-soar/metrics-tls/tls.crt"]),
    );
    expect(container?.ports).toEqual(expect.arrayContaining([{ name: "metrics", containerPort: 8443, protocol: "TCP" }, { name: "probes", containerPort: 8081, protocol: "TCP" }]));
    expect(container?.livenessProbe).toMatchObject({ httpGet: { port: "probes" } });
    expect((only(objects, "Service")["spec"] as { ports: unknown[] }).ports).toContainEqual({ name: "metrics", port: 8443, targetPort: "metrics", protocol: "TCP" });
    expect((only(objects, "ServiceMonitor")["spec"] as { endpoints: unknown[] }).endpoints).toEqual([
      expect.objectContaining({ port: "metrics", scheme: "https", bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token", tlsConfig: { serverName: "kube-soar.soar-system.svc" } }),
    ]);
    const ingress = (only(objects, "NetworkPolicy")["spec"] as { ingress: { ports: { port: number }[] }[] }).ingress;
    expect(ingress.map((rule) => rule.ports[0]?.port)).toEqual([8080, 8443]);
    const readers = only(objects, "ClusterRoleBinding", `${release}-metrics-reader`);
    expect(readers["roleRef"]).toMatchObject({ kind: "ClusterRole", name: `${release}-metrics-reader` });
    expect(readers["subjects"]).toEqual([{ kind: "ServiceAccount", name: "prometheus-k8s", namespace: "monitoring" }]);
    const clash = await runTool("helm", ["template", release, CHART, "--set", "metrics.port=8081"]);
    expect(clash.stderr).toContain("metrics.port must differ from probes.port");
    const wrongAuth = await runTool("helm", ["template", release, CHART, "--set", "metrics.auth=open"]);
    expect(wrongAuth.stderr).toContain("/metrics/auth': value must be one of 'kubernetes', 'none'");
  });

  it("installs the tenancy policies of config/admission verbatim, as ordinary release objects, unless admission.enabled is false", async () => {
    const objects = manifests(await tool("helm", "template", release, CHART, "-n", namespace));
    const fromConfig = manifests(await tool("kubectl", "kustomize", "config/admission"));
    const admission = objects.filter((object) => ADMISSION_KINDS.includes(object.kind));
    expect(admission.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual(
      Object.values(TenancyPolicy).flatMap((name) => ADMISSION_KINDS.map((kind) => `${kind}/${name}`)).sort(),
    );
    for (const object of admission) {
      expect(object["spec"]).toEqual(only(fromConfig, object.kind, object.metadata.name)["spec"]);
      // helm uninstall deletes every object of the release but hooks and those it is told to keep.
      expect((object.metadata as { annotations?: unknown }).annotations).toBeUndefined();
      expect(object.metadata.labels?.["app.kubernetes.io/instance"]).toBe(release);
    }
    expect(objects.map((object) => object.metadata.name)).toContain(`${release}-aggregate-to-edit`);

    const without = manifests(await tool("helm", "template", release, CHART, "-n", namespace, "--set", "admission.enabled=false"));
    expect(without.filter((object) => ADMISSION_KINDS.includes(object.kind))).toEqual([]);
    const aggregated = without.filter((object) => object.kind === "ClusterRole" && Object.keys(object.metadata.labels ?? {}).some((label) => label.startsWith("rbac.authorization.k8s.io/aggregate-to-")));
    expect(aggregated.map((object) => [object.metadata.name, object.metadata.labels?.["rbac.authorization.k8s.io/aggregate-to-view"]])).toEqual([[`${release}-aggregate-to-view`, "true"]]);
  });
});

describe("helm install, upgrade and uninstall", () => {
  it("installs into a namespace enforcing the restricted Pod Security Standard, upgrades keeping the token, and uninstalls cleanly", async () => {
    await tool("helm", "install", release, CHART, "-n", namespace, ...SHARED_CLUSTER, "--set", "metrics.readers[0].namespace=monitoring,metrics.readers[0].name=prometheus");
    const deployment = JSON.parse(await tool("kubectl", "-n", namespace, "get", "deployment", release, "-o", "json")) as Manifest;
    const template = podTemplate(deployment);
    expect(await createPodDryRun("restricted", template)).toMatchObject({ code: 0 });
    const loosened = { ...template, spec: { ...template.spec, securityContext: {}, containers: template.spec.containers.map((container) => ({ ...container, securityContext: {} })) } };
    const refused = await createPodDryRun("loosened", loosened);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('violates PodSecurity "restricted');

    const token = async (): Promise<string> => await tool("kubectl", "-n", namespace, "get", "secret", `${release}-receiver`, "-o", "jsonpath={.data.tokens}");
    const installedToken = await token();
    expect(Buffer.from(installedToken, "base64").toString()).toMatch(/^[A-Za-z0-9]{48}$/);

    await tool("helm", "upgrade", release, CHART, "-n", namespace, "--reuse-values", "--set", "operator.logLevel=debug");
    expect(await token()).toBe(installedToken);
    const upgradedArgs = await tool("kubectl", "-n", namespace, "get", "deployment", release, "-o", "jsonpath={.spec.template.spec.containers[0].args}");
    expect(upgradedArgs).toContain("--log-level=debug");

    const selector = `app.kubernetes.io/instance=${release}`;
    const clusterScoped = async (): Promise<string[]> => (await tool("kubectl", "get", "clusterroles,clusterrolebindings,validatingadmissionpolicies,validatingadmissionpolicybindings", "-l", selector, "-o", "name")).split("\n").filter((line) => line !== "");
    expect(await clusterScoped()).toEqual(
      expect.arrayContaining([`clusterrole.rbac.authorization.k8s.io/${release}-metrics-reader`, `clusterrolebinding.rbac.authorization.k8s.io/${release}-metrics-reader`, `clusterrole.rbac.authorization.k8s.io/${release}-aggregate-to-view`]),
    );
    const service = JSON.parse(await tool("kubectl", "-n", namespace, "get", "service", release, "-o", "json")) as Manifest;
    expect((service["spec"] as { ports: unknown[] }).ports).toContainEqual({ name: "metrics", port: 8443, targetPort: "metrics", protocol: "TCP" });

    await tool("helm", "uninstall", release, "-n", namespace);
    expect(await clusterScoped()).toEqual([]);
    const leftNamespaced = await tool("kubectl", "-n", namespace, "get", "deployments,services,secrets,serviceaccounts,roles,rolebindings,poddisruptionbudgets", "-l", selector, "-o", "name");
    expect(leftNamespaced.trim()).toBe("");
    const crds = await tool("kubectl", "get", "crd", "-o", "name");
    expect(crds).toContain("playbooks.soar.kube-soar.io");
  });
});
