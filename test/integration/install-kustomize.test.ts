import { describe, expect, it } from "vitest";
import type { Manifest } from "../support/install-tools.ts";
import { manifestFile, manifests, only, runTool, tool } from "../support/install-tools.ts";
import { TenancyPolicy } from "../../src/api/v1alpha1/constants.ts";

// config/default installs the same operator as the chart with default values (release
// kube-soar in soar-system): same image, arguments, ports, security contexts, RBAC and admission
// policies. Other test files share the control plane and write approvals as the admin, so the
// real apply leaves the cluster-wide admission policies out (the dry run has them).

const ADMISSION_KINDS = ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

const NAMESPACE = "soar-system";

interface PodSpec {
  securityContext: unknown;
  volumes: unknown;
  serviceAccountName: string;
  topologySpreadConstraints: unknown;
  containers: { image: string; args: string[]; env: unknown; ports: unknown; securityContext: unknown; livenessProbe: unknown; readinessProbe: unknown; volumeMounts: unknown; resources: unknown }[];
}

function podSpec(objects: readonly Manifest[]): PodSpec {
  return (only(objects, "Deployment", "kube-soar")["spec"] as { template: { spec: PodSpec } }).template.spec;
}

/** The rules of every role and the subjects of every binding, by kind and name, with the aggregation labels of roles. */
function rbac(objects: readonly Manifest[]): Record<string, unknown> {
  const entries = objects
    .filter((object) => ["ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"].includes(object.kind))
    .map((object): [string, unknown] => [
      `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`,
      {
        rules: object["rules"],
        roleRef: object["roleRef"],
        subjects: object["subjects"],
        aggregation: Object.entries(object.metadata.labels ?? {}).filter(([label]) => label.startsWith("rbac.authorization.k8s.io/aggregate-to-")),
      },
    ]);
  return Object.fromEntries(entries);
}

/** The spec of every admission policy and binding, by kind and name. */
function admission(objects: readonly Manifest[]): Record<string, unknown> {
  return Object.fromEntries(objects.filter((object) => ADMISSION_KINDS.includes(object.kind)).map((object) => [`${object.kind}/${object.metadata.name}`, { namespace: object.metadata.namespace, spec: object["spec"] }]));
}

describe("config/default", () => {
  it("renders the Deployment and RBAC the chart renders with default values", async () => {
    const kustomized = manifests(await tool("kubectl", "kustomize", "config/default"));
    const charted = manifests(await tool("helm", "template", "kube-soar", "charts/kube-soar", "-n", NAMESPACE));
    const [fromKustomize, fromChart] = [podSpec(kustomized), podSpec(charted)];
    const [container, chartContainer] = [fromKustomize.containers[0], fromChart.containers[0]];
    expect(container?.image).toBe(chartContainer?.image);
    expect(container?.args).toEqual(chartContainer?.args);
    expect(container?.securityContext).toEqual(chartContainer?.securityContext);
    expect(fromKustomize.securityContext).toEqual(fromChart.securityContext);
    expect({ ...container, image: "" }).toEqual({ ...chartContainer, image: "" });
    expect(container?.ports).toContainEqual({ name: "metrics", containerPort: 8443, protocol: "TCP" });
    expect(fromKustomize).toEqual(fromChart);
    expect(rbac(kustomized)).toEqual(rbac(charted));
    // Each tenancy policy and its binding.
    expect(Object.keys(admission(kustomized))).toHaveLength(2 * Object.values(TenancyPolicy).length);
    expect(admission(kustomized)).toEqual(admission(charted));
    expect(only(kustomized, "Service", "kube-soar")["spec"]).toEqual(only(charted, "Service", "kube-soar")["spec"]);
  });

  it("is accepted by the API server, in a dry run and for real", async () => {
    // A dry run creates nothing, so the namespace its objects go to must exist before it.
    await tool("kubectl", "apply", "--server-side", "--field-manager=kube-soar-install-test", "-f", "config/default/namespace.yaml");
    const dryRun = await runTool("kubectl", ["apply", "--server-side", "--force-conflicts", "--field-manager=kube-soar-install-test", "--dry-run=server", "-k", "config/default"]);
    expect(dryRun).toMatchObject({ code: 0, stderr: "" });
    expect(dryRun.stdout).toContain("validatingadmissionpolicybinding.admissionregistration.k8s.io/kube-soar-incident-approvals serverside-applied (server dry run)");
    const shared = manifests(await tool("kubectl", "kustomize", "config/default")).filter((object) => !ADMISSION_KINDS.includes(object.kind));
    try {
      await tool("kubectl", "apply", "--server-side", "--force-conflicts", "--field-manager=kube-soar-install-test", "-f", await manifestFile(shared));
      const deployment = JSON.parse(await tool("kubectl", "-n", NAMESPACE, "get", "deployment", "kube-soar", "-o", "json")) as Manifest;
      expect((deployment["spec"] as { replicas: number }).replicas).toBe(2);
      const labels = await tool("kubectl", "get", "namespace", NAMESPACE, "-o", "jsonpath={.metadata.labels}");
      expect(labels).toContain('"pod-security.kubernetes.io/enforce":"restricted"');
    } finally {
      // The namespace, CRDs and roles stay: other tests of the run share them.
      await runTool("kubectl", ["-n", NAMESPACE, "delete", "deployment,service", "kube-soar", "--ignore-not-found"]);
    }
  });
});
