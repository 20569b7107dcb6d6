import { randomBytes } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";
import type { Manifest } from "../support/install-tools.ts";
import { manifestFile, manifests, only, runTool, tool } from "../support/install-tools.ts";

// The chart, checked by the real helm and the harness API server. The integration control
// plane runs no controller-manager, so a Deployment never creates Pods: restricted compliance is
// proven by creating the rendered Pod template as a Pod (server-side dry run) in a namespace
// that enforces the restricted Pod Security Standard, next to a Pod that admission must refuse.

const CHART = "charts/kube-soar";
const EVERY_TOGGLE = "test/fixtures/chart/every-toggle.yaml";
const SERVICE_MONITOR_API = "monitoring.coreos.com/v1/ServiceMonitor";

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

  it("binds the roles in the watched namespaces and keeps only the Node rules cluster-wide", async () => {
    const objects = manifests(await tool("helm", "template", release, CHART, "-n", namespace, "--set", `watchNamespaces={${watched.join(",")}}`));
    const roleNamespaces = objects.filter((object) => object.kind === "Role" && object.metadata.name === `${release}-manager`).map((object) => object.metadata.namespace);
    expect(roleNamespaces.sort()).toEqual([namespace, ...watched].sort());
    const clusterRules = objects
      .filter((object) => object.kind === "ClusterRole" && object.metadata.labels?.["rbac.authorization.k8s.io/aggregate-to-view"] === undefined && object.metadata.labels?.["rbac.authorization.k8s.io/aggregate-to-edit"] === undefined)
      .flatMap((object) => (object["rules"] as { resources: string[] }[]).flatMap((rule) => rule.resources));
    expect([...new Set(clusterRules)]).toEqual(["nodes"]);
  });
});

describe("helm install, upgrade and uninstall", () => {
  it("installs into a namespace enforcing the restricted Pod Security Standard, upgrades keeping the token, and uninstalls cleanly", async () => {
    await tool("helm", "install", release, CHART, "-n", namespace);
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

    await tool("helm", "upgrade", release, CHART, "-n", namespace, "--set", "operator.logLevel=debug");
    expect(await token()).toBe(installedToken);
    const upgradedArgs = await tool("kubectl", "-n", namespace, "get", "deployment", release, "-o", "jsonpath={.spec.template.spec.containers[0].args}");
    expect(upgradedArgs).toContain("--log-level=debug");

    await tool("helm", "uninstall", release, "-n", namespace);
    const selector = `app.kubernetes.io/instance=${release}`;
    const leftClusterScoped = await tool("kubectl", "get", "clusterroles,clusterrolebindings", "-l", selector, "-o", "name");
    expect(leftClusterScoped.trim()).toBe("");
    const leftNamespaced = await tool("kubectl", "-n", namespace, "get", "deployments,services,secrets,serviceaccounts,roles,rolebindings,poddisruptionbudgets", "-l", selector, "-o", "name");
    expect(leftNamespaced.trim()).toBe("");
    const crds = await tool("kubectl", "get", "crd", "-o", "name");
    expect(crds).toContain("playbooks.soar.kube-soar.io");
  });
});
