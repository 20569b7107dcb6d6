import { join } from "node:path";
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { binaryPath, REPO_ROOT } from "./binaries.ts";
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
  timeoutMs: number;
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
 * `hack/kwok/stages.yaml`. Resolves once the node is Ready and untainted, so pods can be
 * scheduled; rejects with kwok's log tail otherwise.
 */
export async function startKwok(context: KwokContext): Promise<ManagedProcess> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(context.kubeconfigPath);
  await KubernetesObjectApi.makeApiClient(kubeConfig).create(fakeNode(FAKE_NODE_NAME));
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const child = await spawnManaged({
    name: "kwok",
    command: await binaryPath(context.binDir, "kwok"),
    args: [
      `--kubeconfig=${context.kubeconfigPath}`,
      `--config=${KWOK_STAGES_PATH}`,
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
