import { pino } from "pino";
import type { TestProject } from "vitest/node";
import { locateBinDir } from "../../hack/harness/binaries.ts";
import { startControlPlane, type ControlPlaneProfile } from "../../hack/harness/control-plane.ts";

/**
 * Starts the control plane shared by one vitest project, provides `kubeconfig` and `binDir`
 * to its tests, and resolves with the teardown that stops it. `env` is the environment of
 * the vitest process (`KUBE_SOAR_BIN_DIR` skips the build).
 */
export async function startSharedControlPlane(
  project: TestProject,
  profile: ControlPlaneProfile,
  env: Readonly<Record<string, string | undefined>>,
): Promise<() => Promise<void>> {
  const log = pino({ name: "test-harness" }, pino.destination(2));
  const binDir = await locateBinDir({ env });
  const controlPlane = await startControlPlane({ profile, binDir, log });
  project.provide("kubeconfig", controlPlane.kubeconfigPath);
  project.provide("binDir", binDir);
  return async () => {
    await controlPlane.stop();
  };
}
