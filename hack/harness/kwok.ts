import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { binaryPath, REPO_ROOT } from "./binaries.ts";
import type { ControlPlaneCertificates } from "./certificates.ts";
import { freePort } from "./free-port.ts";
import type { HarnessDir } from "./harness-dir.ts";
import { waitWhileRunning } from "./health.ts";
import { spawnManaged, stopOnFailure, type ManagedProcess } from "./managed-process.ts";

/** Name of the one fake Node that kwok manages in the e2e cluster. */
export const FAKE_NODE_NAME = "kwok-node-0";

/** The stage configuration kwok runs with; its header documents the test conventions. */
export const KWOK_STAGES_PATH = join(REPO_ROOT, "hack", "kwok", "stages.yaml");

/** Where kwok runs and what it talks to. */
export interface KwokContext {
  binDir: string;
  harness: HarnessDir;
  kubeconfigPath: string;
  /** kwok serves the fake Node's kubelet API (container logs) with the apiserver's serving certificate, valid for 127.0.0.1. */
  certs: Pick<ControlPlaneCertificates, "servingCert" | "servingKey">;
  timeoutMs: number;
}

/** What every container on the fake Node has written, as `kubectl logs` shows it. */
export const FAKE_CONTAINER_LOG = ["kwok: container started", "kwok: container output for kube-soar tests"] as const;

/**
 * kwok configuration that serves {@link FAKE_CONTAINER_LOG} as the log of every container of
 * every pod (a ClusterLogs without selector), from a CRI-format log file written next to it.
 * Resolves with the configuration's path.
 */
async function writeLogsConfig(harness: HarnessDir): Promise<string> {
  const logFile = join(harness.path, "kwok-container.log");
  const at = "2026-01-01T00:00:00.000000000Z";
  await writeFile(logFile, FAKE_CONTAINER_LOG.map((line) => `${at} stdout F ${line}\n`).join(""));
  const config = join(harness.path, "kwok-logs.yaml");
  await writeFile(
    config,
    ["apiVersion: kwok.x-k8s.io/v1alpha1", "kind: ClusterLogs", "metadata:", "  name: every-container", "spec:", "  logs:", `    - logsFile: ${JSON.stringify(logFile)}`, ""].join("\n"),
  );
  return config;
}

/** The manifest of the fake Node. */
export interface FakeNodeManifest {
  apiVersion: "v1";
  kind: "Node";
  metadata: { name: string; annotations: Record<string, string>; labels: Record<string, string> };
  spec: Record<string, never>;
}

/** The parts of a Node that decide whether pods can be scheduled on it. */
export interface NodeSchedulingState {
  spec?: { taints?: { effect?: string }[] };
  status?: { conditions?: { type?: string; status?: string }[] };
}

/**
 * The fake Node object: kwok's annotation, the usual well-known labels, no taints (so pods
 * schedule on it without tolerations). kwok fills in its status.
 */
export function fakeNode(name: string): FakeNodeManifest {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    spec: {},
  };
}

/** True when the Node reports Ready=True and carries no NoSchedule or NoExecute taint. */
export function nodeSchedulable(node: NodeSchedulingState): boolean {
  const ready = node.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True");
  const blocked = node.spec?.taints?.some((taint) => taint.effect === "NoSchedule" || taint.effect === "NoExecute");
  return ready === true && blocked !== true;
}

/**
 * Creates the fake Node and starts kwok managing only that node with the stages of
 * `hack/kwok/stages.yaml`, serving the Node's kubelet API on 127.0.0.1 (every container's log
 * is {@link FAKE_CONTAINER_LOG}). Resolves once the node is Ready and untainted, so pods can
 * be scheduled; rejects with kwok's log tail otherwise.
 */
export async function startKwok(context: KwokContext): Promise<ManagedProcess> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(context.kubeconfigPath);
  await KubernetesObjectApi.makeApiClient(kubeConfig).create(fakeNode(FAKE_NODE_NAME));
  const core = kubeConfig.makeApiClient(CoreV1Api);
  // The Node's address and kubelet port (set by the node stages) point at kwok's own server,
  // so the API server's pods/log requests reach it.
  const kubeletPort = await freePort();
  const child = await spawnManaged({
    name: "kwok",
    command: await binaryPath(context.binDir, "kwok"),
    args: [
      `--kubeconfig=${context.kubeconfigPath}`,
      `--config=${KWOK_STAGES_PATH}`,
      `--config=${await writeLogsConfig(context.harness)}`,
      "--node-ip=127.0.0.1",
      `--node-port=${String(kubeletPort)}`,
      `--server-address=127.0.0.1:${String(kubeletPort)}`,
      `--tls-cert-file=${context.certs.servingCert}`,
      `--tls-private-key-file=${context.certs.servingKey}`,
      "--manage-all-nodes=false",
      `--manage-single-node=${FAKE_NODE_NAME}`,
      "--cidr=10.128.0.1/16",
      "--node-lease-duration-seconds=40",
    ],
    logFile: context.harness.logFile("kwok"),
    // kwok also loads ~/.kwok/kwok.yaml; a HOME of its own keeps a developer's file out.
    env: { HOME: context.harness.path },
    registry: context.harness.registry,
  });
  await stopOnFailure(child, () =>
    waitWhileRunning(child, {
      description: `node ${FAKE_NODE_NAME} to be Ready and untainted`,
      timeoutMs: context.timeoutMs,
      probe: async () => {
        const node = await core.readNode({ name: FAKE_NODE_NAME });
        return nodeSchedulable(node) || JSON.stringify({ conditions: node.status?.conditions, taints: node.spec?.taints });
      },
    }),
  );
  return child;
}
