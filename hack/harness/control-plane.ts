import { join } from "node:path";
import { binaryPath, locateBinDir, type BinaryName } from "./binaries.ts";
import { generateCertificates, type ControlPlaneCertificates } from "./certificates.ts";
import { startEtcd } from "./etcd.ts";
import { freePort } from "./free-port.ts";
import { openHarnessDir, silentLog, type HarnessLog } from "./harness-dir.ts";
import { startControllerManager, startScheduler } from "./kube-components.ts";
import { adminTls, apiServerUrl, startKubeApiServer, type KubeApiServerConfig } from "./kube-apiserver.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { FAKE_NODE_NAME, startKwok } from "./kwok.ts";
import type { ManagedProcess } from "./managed-process.ts";

/**
 * `integration`: etcd and kube-apiserver only (no controllers: objects are stored, nothing
 * acts on them; pods need no ServiceAccount). `e2e`: adds kube-controller-manager,
 * kube-scheduler and kwok with one fake Node, so Jobs run to Complete or Failed.
 */
export type ControlPlaneProfile = "integration" | "e2e";

/** How to start a control plane. */
export interface StartControlPlaneOptions {
  profile: ControlPlaneProfile;
  /** Working directory (created when missing, swept of stale processes); default: a temporary one. */
  dir?: string;
  /** Directory of the binaries; default: {@link locateBinDir} without overrides. */
  binDir?: string;
  log?: HarnessLog;
  /** Deadline for each component to become ready; default two minutes. */
  startTimeoutMs?: number;
}

/** A running control plane. Every method may be called from any state without corrupting it. */
export interface ControlPlane {
  readonly profile: ControlPlaneProfile;
  readonly dir: string;
  readonly binDir: string;
  /** A kubeconfig for the admin user (group system:masters), certificates embedded. */
  readonly kubeconfigPath: string;
  /** The PEM files: CA, the apiserver's serving certificate (valid for 127.0.0.1), admin, service accounts. */
  readonly certificates: ControlPlaneCertificates;
  /** The apiserver's https URL; it stays the same across apiserver restarts. */
  readonly server: string;
  /** The fake Node's name in the e2e profile, undefined in the integration profile. */
  readonly nodeName: string | undefined;
  /** Stops kube-apiserver only; etcd and its data stay. Resolves once the process is gone. */
  stopApiServer(): Promise<void>;
  /**
   * Starts kube-apiserver again on the same etcd data and port; resolves once `/readyz`
   * answers. Rejects when it is already running or the control plane was stopped.
   */
  startApiServer(): Promise<void>;
  /**
   * Suspends kube-apiserver (SIGSTOP): its port stays open and connections stay up, but nothing is
   * answered, as with a stalled server. Pair with {@link resumeApiServer} (in a `finally`);
   * stopping a paused server works too. Throws when it is not running.
   */
  pauseApiServer(): void;
  /** Lets a paused kube-apiserver run again (SIGCONT); harmless when it is not paused or not running. */
  resumeApiServer(): void;
  /** Stops every process, then deletes the directory if it was temporary. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 120_000;

const PROFILE_BINARIES: Record<ControlPlaneProfile, readonly BinaryName[]> = {
  integration: ["etcd", "kube-apiserver"],
  e2e: ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"],
};

/**
 * Starts an envtest-style control plane for `profile` on random free ports of 127.0.0.1 and
 * resolves once every component is ready. On failure everything already started is stopped
 * and the error names the failing component with its log tail. Children also die with this
 * process (watchdog) and are swept on the next start in the same `dir`.
 */
export async function startControlPlane(options: StartControlPlaneOptions): Promise<ControlPlane> {
  const log = options.log ?? silentLog;
  const binDir = options.binDir ?? (await locateBinDir());
  for (const name of PROFILE_BINARIES[options.profile]) await binaryPath(binDir, name);
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const harness = await openHarnessDir({
    prefix: "kube-soar-control-plane-",
    log,
    ...(options.dir === undefined ? {} : { dir: options.dir }),
  });
  let etcd: ManagedProcess | undefined;
  const controllers: ManagedProcess[] = [];
  let apiServer: ManagedProcess | undefined;
  let apiServerStarting: Promise<ManagedProcess> | undefined;
  const stopAll = async (): Promise<void> => {
    for (const child of [...controllers].reverse()) await child.stop();
    const starting = await apiServerStarting?.catch(() => undefined);
    await starting?.stop();
    await apiServer?.stop();
    apiServer = undefined;
    await etcd?.stop();
    await harness.close();
  };
  try {
    const began = Date.now();
    const timed = async <T>(component: string, start: () => Promise<T>): Promise<T> => {
      const at = Date.now();
      const result = await start();
      log.info({ component, ms: Date.now() - at }, "component ready");
      return result;
    };
    const certs = await generateCertificates(join(harness.path, "certs"));
    const runningEtcd = await timed("etcd", () => startEtcd(binDir, harness, timeoutMs));
    etcd = runningEtcd.process;
    const apiConfig: KubeApiServerConfig = {
      binDir,
      harness,
      port: await freePort(),
      etcdUrl: runningEtcd.clientUrl,
      certs,
      serviceAccountAdmission: options.profile === "e2e",
      timeoutMs,
    };
    const server = apiServerUrl(apiConfig);
    const kubeconfigPath = join(harness.path, "kubeconfig");
    await writeKubeconfig(kubeconfigPath, {
      name: "kube-soar-test",
      server,
      caCert: certs.caCert,
      clientCert: certs.adminCert,
      clientKey: certs.adminKey,
    });
    apiServer = await timed("kube-apiserver", () => startKubeApiServer(apiConfig));
    if (options.profile === "e2e") {
      const context = { binDir, harness, kubeconfigPath, certs, server, adminTls: await adminTls(certs), timeoutMs };
      controllers.push(await timed("kube-controller-manager", () => startControllerManager(context)));
      controllers.push(await timed("kube-scheduler", () => startScheduler(context)));
      controllers.push(await timed("kwok", () => startKwok(context)));
    }
    log.info({ profile: options.profile, dir: harness.path, server, ms: Date.now() - began }, "control plane ready");

    let stopping: Promise<void> | undefined;
    return {
      profile: options.profile,
      dir: harness.path,
      binDir,
      kubeconfigPath,
      certificates: certs,
      server,
      nodeName: options.profile === "e2e" ? FAKE_NODE_NAME : undefined,
      stopApiServer: async () => {
        const running = apiServer;
        apiServer = undefined;
        await running?.stop();
      },
      startApiServer: async () => {
        if (stopping !== undefined) throw new Error("control plane: startApiServer after stop()");
        if (apiServer !== undefined || apiServerStarting !== undefined) {
          throw new Error("control plane: kube-apiserver is already running");
        }
        apiServerStarting = timed("kube-apiserver", () => startKubeApiServer(apiConfig));
        try {
          apiServer = await apiServerStarting;
        } finally {
          apiServerStarting = undefined;
        }
      },
      pauseApiServer: () => {
        if (apiServer === undefined) throw new Error("control plane: pauseApiServer while kube-apiserver is not running");
        apiServer.pause();
      },
      resumeApiServer: () => {
        apiServer?.resume();
      },
      stop: async () => {
        stopping ??= (async () => {
          const at = Date.now();
          await stopAll();
          log.info({ dir: harness.path, ms: Date.now() - at }, "control plane stopped");
        })();
        await stopping;
      },
    };
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
}
