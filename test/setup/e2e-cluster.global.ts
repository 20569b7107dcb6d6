import type { TestProject } from "vitest/node";
import { startSharedControlPlane } from "./shared-control-plane.ts";

/**
 * globalSetup of the e2e project: one cluster (control plane, controller manager, scheduler
 * and kwok with one fake Node) for the whole run, stopped when the run ends; provides
 * `kubeconfig` and `binDir`. Setting `KUBE_SOAR_BIN_DIR` skips the build of the binaries.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return await startSharedControlPlane(project, "e2e", process.env);
}
