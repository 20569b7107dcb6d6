import { readFile } from "node:fs/promises";
import { binaryPath } from "./binaries.ts";
import type { ControlPlaneCertificates } from "./certificates.ts";
import type { HarnessDir } from "./harness-dir.ts";
import { waitUntilHealthy, type ProbeTls } from "./health.ts";
import { spawnManaged, stopOnFailure, type ManagedProcess } from "./managed-process.ts";

/** Everything kube-apiserver needs; the same value restarts it on the same data and port. */
export interface KubeApiServerConfig {
  binDir: string;
  harness: HarnessDir;
  port: number;
  etcdUrl: string;
  certs: ControlPlaneCertificates;
  /**
   * Keeps the ServiceAccount admission plugin, which needs kube-controller-manager to create
   * each namespace's `default` ServiceAccount before pods can be created.
   */
  serviceAccountAdmission: boolean;
  timeoutMs: number;
}

/** The https URL of the apiserver of `config`. */
export function apiServerUrl(config: Pick<KubeApiServerConfig, "port">): string {
  return `https://127.0.0.1:${config.port}`;
}

/** The flags kube-apiserver runs with: RBAC, client-certificate authentication, 127.0.0.1 only. */
export function kubeApiServerArgs(
  config: Pick<KubeApiServerConfig, "port" | "etcdUrl" | "certs" | "serviceAccountAdmission">,
): string[] {
  const { certs } = config;
  return [
    "--advertise-address=127.0.0.1",
    "--bind-address=127.0.0.1",
    `--secure-port=${config.port}`,
    `--etcd-servers=${config.etcdUrl}`,
    `--tls-cert-file=${certs.servingCert}`,
    `--tls-private-key-file=${certs.servingKey}`,
    `--client-ca-file=${certs.caCert}`,
    "--authorization-mode=RBAC",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${certs.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${certs.serviceAccountKey}`,
    "--service-cluster-ip-range=10.0.0.0/24",
    // The only apiserver listens on loopback, which the `kubernetes` Endpoints may not hold.
    "--endpoint-reconciler-type=none",
    // Bounds graceful shutdown to about two seconds even while clients hold watches open
    // (otherwise it waits up to the 60 s request timeout for them).
    "--shutdown-send-retry-after=true",
    "--allow-privileged=true",
    "--profiling=false",
    ...(config.serviceAccountAdmission ? [] : ["--disable-admission-plugins=ServiceAccount"]),
  ];
}

/** TLS material to talk to the apiserver as the admin user. */
export async function adminTls(certs: ControlPlaneCertificates): Promise<ProbeTls> {
  const [ca, cert, key] = await Promise.all([
    readFile(certs.caCert, "utf8"),
    readFile(certs.adminCert, "utf8"),
    readFile(certs.adminKey, "utf8"),
  ]);
  return { ca, cert, key };
}

/**
 * Starts kube-apiserver and resolves once `/readyz` answers 200 and the `default` namespace
 * exists; rejects with the apiserver's log tail (after stopping it) when it does not get there.
 */
export async function startKubeApiServer(config: KubeApiServerConfig): Promise<ManagedProcess> {
  const child = await spawnManaged({
    name: "kube-apiserver",
    command: await binaryPath(config.binDir, "kube-apiserver"),
    args: kubeApiServerArgs(config),
    logFile: config.harness.logFile("kube-apiserver"),
    env: { HOME: config.harness.path },
    registry: config.harness.registry,
  });
  await stopOnFailure(child, async () => {
    const tls = await adminTls(config.certs);
    const server = apiServerUrl(config);
    await waitUntilHealthy({ process: child, url: `${server}/readyz`, tls, timeoutMs: config.timeoutMs });
    await waitUntilHealthy({ process: child, url: `${server}/api/v1/namespaces/default`, tls, timeoutMs: config.timeoutMs });
  });
  return child;
}
