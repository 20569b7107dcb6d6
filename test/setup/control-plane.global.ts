import type { TestProject } from "vitest/node";
import { startSharedControlPlane } from "./shared-control-plane.ts";

/**
 * globalSetup of the integration project: one control plane (etcd + kube-apiserver) for the
 * whole run, stopped when the run ends; provides `kubeconfig` and `binDir`. Setting
 * `KUBE_SOAR_BIN_DIR` skips the build of the binaries.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return await startSharedControlPlane(project, "integration", process.env);
}
