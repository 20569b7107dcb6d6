import { existsSync } from "node:fs";
import { CoreV1Api, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startControlPlane, type ControlPlane } from "../../hack/harness/control-plane.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";
import { processesMentioning } from "../support/processes.ts";

interface SelfSubjectReview {
  apiVersion: "authentication.k8s.io/v1";
  kind: "SelfSubjectReview";
  status?: { userInfo?: { username?: string; groups?: string[] } };
}

interface SubjectAccessReview {
  apiVersion: "authorization.k8s.io/v1";
  kind: "SubjectAccessReview";
  spec: { user: string; resourceAttributes: { verb: string; resource: string } };
  status?: { allowed?: boolean };
}

async function createConfigMap(kubeConfig: KubeConfig, namespace: string, data: Record<string, string>): Promise<void> {
  await KubernetesObjectApi.makeApiClient(kubeConfig).create({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kept", namespace },
    data,
  });
}

describe("the shared control plane of the integration project", () => {
  it("authenticates the injected kubeconfig as admin in system:masters", async () => {
    const objects = KubernetesObjectApi.makeApiClient(loadKubeConfig());
    const review = await objects.create<SelfSubjectReview>({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
    expect(review.status?.userInfo?.username).toBe("admin");
    expect(review.status?.userInfo?.groups).toContain("system:masters");
  });

  it("authorizes with RBAC: a user without bindings may not read namespaces", async () => {
    const objects = KubernetesObjectApi.makeApiClient(loadKubeConfig());
    const review = await objects.create<SubjectAccessReview>({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: "nobody", resourceAttributes: { verb: "get", resource: "namespaces" } },
    });
    expect(review.status?.allowed).toBe(false);
  });

  it("accepts pods without a ServiceAccount controller", async () => {
    const kubeConfig = loadKubeConfig();
    const namespace = await createTestNamespace(kubeConfig, "harness-pod");
    await KubernetesObjectApi.makeApiClient(kubeConfig).create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "stored", namespace },
      spec: { containers: [{ name: "main", image: "registry.invalid/none" }] },
    });
    const pod = await kubeConfig.makeApiClient(CoreV1Api).readNamespacedPod({ name: "stored", namespace });
    expect(pod.status?.phase).toBe("Pending");
  });
});

describe("a control plane of its own", () => {
  let controlPlane: ControlPlane | undefined;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ profile: "integration", binDir: inject("binDir") });
  });
  afterAll(async () => {
    await controlPlane?.stop();
  });

  it("keeps objects across an apiserver restart on the same port, and stop() leaves nothing behind", async () => {
    if (controlPlane === undefined) throw new Error("the control plane did not start");
    const { dir, server } = controlPlane;
    const kubeConfig = loadKubeConfig(controlPlane.kubeconfigPath);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kubeConfig, "restart");
    await createConfigMap(kubeConfig, namespace, { survives: "restart" });

    await controlPlane.stopApiServer();
    await expect(core.readNamespace({ name: namespace })).rejects.toThrow();
    const running = processesMentioning(dir).map((found) => found.commandLine);
    expect(running.filter((line) => line.includes("kube-apiserver"))).toEqual([]);
    expect(running.filter((line) => line.includes("etcd"))).toHaveLength(1);

    await controlPlane.startApiServer();
    expect(controlPlane.server).toBe(server);
    const kept = await core.readNamespacedConfigMap({ name: "kept", namespace });
    expect(kept.data).toEqual({ survives: "restart" });
    await expect(controlPlane.startApiServer()).rejects.toThrow("kube-apiserver is already running");

    await controlPlane.stop();
    expect(processesMentioning(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    await controlPlane.stop();
    await expect(controlPlane.startApiServer()).rejects.toThrow("startApiServer after stop()");
  });
});
