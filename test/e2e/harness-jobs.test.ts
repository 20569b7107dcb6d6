import { BatchV1Api, CoreV1Api, KubernetesObjectApi, type V1Pod } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_NODE_NAME } from "../../hack/harness/kwok.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

const EXIT_CODE = "kwok.kube-soar.io/exit-code";
const TERMINATION_MESSAGE = "kwok.kube-soar.io/termination-message";
const WAIT_MS = 120_000;

describe("the e2e cluster (kwok stages)", () => {
  const kubeConfig = loadKubeConfig();
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  let namespace = "";

  beforeAll(async () => {
    namespace = await createTestNamespace(kubeConfig, "harness-jobs");
  });

  async function createJob(name: string, annotations: Record<string, string>): Promise<void> {
    await objects.create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { annotations },
          spec: { restartPolicy: "Never", containers: [{ name: "step", image: "registry.invalid/step:1" }] },
        },
      },
    });
  }

  async function jobCondition(name: string, type: "Complete" | "Failed"): Promise<{ reason?: string }> {
    return await waitFor(
      async () => {
        const job = await batch.readNamespacedJob({ name, namespace });
        return job.status?.conditions?.find((condition) => condition.type === type && condition.status === "True");
      },
      { timeoutMs: WAIT_MS, intervalMs: 250, description: `Job ${namespace}/${name} to be ${type}` },
    );
  }

  async function onlyPodOf(job: string): Promise<V1Pod> {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/job-name=${job}` });
    expect(pods.items).toHaveLength(1);
    const [pod] = pods.items;
    if (pod === undefined) throw new Error(`Job ${job} has no pod`);
    return pod;
  }

  function terminatedState(pod: V1Pod): { exitCode?: number; reason?: string; message?: string } | undefined {
    return pod.status?.containerStatuses?.find((status) => status.name === "step")?.state?.terminated;
  }

  it("runs a Job to Complete with its container terminated with exit code 0", async () => {
    await createJob("succeeds", {});
    await jobCondition("succeeds", "Complete");
    const pod = await onlyPodOf("succeeds");
    expect(pod.spec?.nodeName).toBe(FAKE_NODE_NAME);
    expect(pod.status?.phase).toBe("Succeeded");
    expect(terminatedState(pod)).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(terminatedState(pod)?.message).toBeUndefined();
  });

  it("fails a Job whose pod template carries a non-zero exit-code annotation", async () => {
    await createJob("fails", { [EXIT_CODE]: "1" });
    expect(await jobCondition("fails", "Failed")).toMatchObject({ reason: "BackoffLimitExceeded" });
    const pod = await onlyPodOf("fails");
    expect(pod.status?.phase).toBe("Failed");
    expect(terminatedState(pod)).toMatchObject({ exitCode: 1, reason: "Error" });
  });

  it("puts the termination-message annotation into the terminated container's message", async () => {
    const outputs = JSON.stringify({ verdict: "malicious", score: 97, note: "quotes \" and 'apostrophes'" });
    await createJob("reports", { [TERMINATION_MESSAGE]: outputs });
    await jobCondition("reports", "Complete");
    expect(terminatedState(await onlyPodOf("reports"))).toMatchObject({ exitCode: 0, message: outputs });
  });

  it("keeps a pod without a Job running until it is deleted, then removes it", async () => {
    await waitFor(() => core.readNamespacedServiceAccount({ name: "default", namespace }), {
      timeoutMs: WAIT_MS,
      description: `the default ServiceAccount of ${namespace}`,
    });
    await objects.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "server", namespace },
      spec: { containers: [{ name: "main", image: "registry.invalid/server:1" }] },
    });
    const running = await waitFor(
      async () => {
        const pod = await core.readNamespacedPod({ name: "server", namespace });
        return pod.status?.phase === "Running" ? pod : undefined;
      },
      { timeoutMs: WAIT_MS, intervalMs: 250, description: "pod server to be Running" },
    );
    expect(running.status?.conditions?.find((condition) => condition.type === "Ready")?.status).toBe("True");

    await core.deleteNamespacedPod({ name: "server", namespace });
    await waitFor(
      async () => (await core.listNamespacedPod({ namespace, fieldSelector: "metadata.name=server" })).items.length === 0,
      { timeoutMs: WAIT_MS, intervalMs: 250, description: "pod server to be deleted" },
    );
  });

  it("removes the pods of a deleted Job", async () => {
    await createJob("deleted", {});
    await jobCondition("deleted", "Complete");
    await batch.deleteNamespacedJob({ name: "deleted", namespace, propagationPolicy: "Foreground" });
    await waitFor(
      async () => {
        const pods = await core.listNamespacedPod({ namespace, labelSelector: "batch.kubernetes.io/job-name=deleted" });
        return pods.items.length === 0;
      },
      { timeoutMs: WAIT_MS, intervalMs: 250, description: "the pods of Job deleted to be gone" },
    );
  });
});
