import { randomBytes } from "node:crypto";
import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { inject } from "vitest";

export { waitFor, type WaitForOptions } from "../../hack/harness/wait-for.ts";

/**
 * A KubeConfig for the admin user of a harness control plane, loaded from `path`; by default
 * the kubeconfig the project's globalSetup provides.
 */
export function loadKubeConfig(path: string = inject("kubeconfig")): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}

/**
 * Creates a namespace named `<prefix>-<random>` (so test files sharing a control plane never
 * collide) and resolves with its name.
 */
export async function createTestNamespace(kubeConfig: KubeConfig, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  await KubernetesObjectApi.makeApiClient(kubeConfig).create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return name;
}
