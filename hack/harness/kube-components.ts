import { join } from "node:path";
import { binaryPath } from "./binaries.ts";
import type { ControlPlaneCertificates } from "./certificates.ts";
import { freePort } from "./free-port.ts";
import type { HarnessDir } from "./harness-dir.ts";
import { waitUntilHealthy, type ProbeTls } from "./health.ts";
import { spawnManaged, stopOnFailure, type ManagedProcess } from "./managed-process.ts";

/** What kube-controller-manager and kube-scheduler share: binaries, directory, credentials. */
export interface KubeComponentContext {
  binDir: string;
  harness: HarnessDir;
  kubeconfigPath: string;
  certs: ControlPlaneCertificates;
  /** The apiserver's URL and admin TLS, for readiness checks made through the API. */
  server: string;
  adminTls: ProbeTls;
  timeoutMs: number;
}

type KubeComponentName = "kube-controller-manager" | "kube-scheduler";

/**
 * Starts kube-controller-manager without leader election, with the service-account token
 * controller keyed by the harness's service-account key and the CA as root CA and cluster
 * signer. Resolves once its `/healthz` answers and the `default` ServiceAccount of the
 * `default` namespace exists (proof that its controllers run).
 */
export async function startControllerManager(context: KubeComponentContext): Promise<ManagedProcess> {
  const { certs } = context;
  const child = await startKubeComponent(context, "kube-controller-manager", [
    `--service-account-private-key-file=${certs.serviceAccountKey}`,
    `--root-ca-file=${certs.caCert}`,
    `--cluster-signing-cert-file=${certs.caCert}`,
    `--cluster-signing-key-file=${certs.caKey}`,
    "--profiling=false",
  ]);
  await stopOnFailure(child, () => waitUntilHealthy({
    process: child,
    url: `${context.server}/api/v1/namespaces/default/serviceaccounts/default`,
    tls: context.adminTls,
    timeoutMs: context.timeoutMs,
  }));
  return child;
}

/** Starts kube-scheduler without leader election; resolves once its `/healthz` answers. */
export async function startScheduler(context: KubeComponentContext): Promise<ManagedProcess> {
  return await startKubeComponent(context, "kube-scheduler", []);
}

async function startKubeComponent(
  context: KubeComponentContext,
  name: KubeComponentName,
  extraArgs: readonly string[],
): Promise<ManagedProcess> {
  const port = await freePort();
  const kubeconfig = context.kubeconfigPath;
  const child = await spawnManaged({
    name,
    command: await binaryPath(context.binDir, name),
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${port}`,
      `--cert-dir=${join(context.harness.path, name)}`,
      ...extraArgs,
    ],
    logFile: context.harness.logFile(name),
    env: { HOME: context.harness.path },
    registry: context.harness.registry,
  });
  await stopOnFailure(child, () => waitUntilHealthy({
    process: child,
    url: `https://127.0.0.1:${port}/healthz`,
    // The component serves a certificate it generated itself.
    tls: { insecure: true },
    timeoutMs: context.timeoutMs,
  }));
  return child;
}
