import { join } from "node:path";
import { binaryPath } from "./binaries.ts";
import { freePort } from "./free-port.ts";
import type { HarnessDir } from "./harness-dir.ts";
import { waitUntilHealthy } from "./health.ts";
import { spawnManaged, stopOnFailure, type ManagedProcess } from "./managed-process.ts";

/** A running single-member etcd serving plain HTTP on 127.0.0.1. */
export interface RunningEtcd {
  clientUrl: string;
  process: ManagedProcess;
}

/**
 * Starts etcd with a data directory under the harness directory, random client and peer
 * ports, and `--unsafe-no-fsync` (test data need not survive a power cut); resolves once
 * `/health` answers 200, rejects with etcd's log tail otherwise.
 */
export async function startEtcd(binDir: string, harness: HarnessDir, timeoutMs: number): Promise<RunningEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const child = await spawnManaged({
    name: "etcd",
    command: await binaryPath(binDir, "etcd"),
    args: [
      "--name=default",
      `--data-dir=${join(harness.path, "etcd")}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
    ],
    logFile: harness.logFile("etcd"),
    env: { HOME: harness.path },
    registry: harness.registry,
  });
  await stopOnFailure(child, () => waitUntilHealthy({ process: child, url: `${clientUrl}/health`, timeoutMs }));
  return { clientUrl, process: child };
}
