import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryPath } from "./binaries.ts";
import { freePort } from "./free-port.ts";
import { openHarnessDir, silentLog, type HarnessLog } from "./harness-dir.ts";
import { waitUntilHealthy } from "./health.ts";
import { spawnManaged, stopOnFailure } from "./managed-process.ts";

/** How to start Alertmanager. */
export interface StartAlertmanagerOptions {
  /** Directory of the binaries (`hack/build-tools.sh` builds `alertmanager`). */
  binDir: string;
  /** The configuration file's content (YAML). */
  config: string;
  log?: HarnessLog;
  /** Deadline for the server to become ready; default one minute. */
  startTimeoutMs?: number;
}

/** A running Alertmanager. */
export interface RunningAlertmanager {
  /** `http://127.0.0.1:<port>`: the API (`/api/v2/alerts`) and `/metrics`. */
  readonly url: string;
  /** Stops the server and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a real Alertmanager on 127.0.0.1, clustering off, with `config` and its own storage
 * directory, and resolves once `/-/ready` answers; rejects with its log tail otherwise. The
 * server also dies with this process (watchdog).
 */
export async function startAlertmanager(options: StartAlertmanagerOptions): Promise<RunningAlertmanager> {
  const command = await binaryPath(options.binDir, "alertmanager");
  const harness = await openHarnessDir({ prefix: "kube-soar-alertmanager-", log: options.log ?? silentLog });
  try {
    const port = await freePort();
    const configFile = join(harness.path, "alertmanager.yml");
    writeFileSync(configFile, options.config);
    const child = await spawnManaged({
      name: "alertmanager",
      command,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${join(harness.path, "data")}`,
        `--web.listen-address=127.0.0.1:${String(port)}`,
        "--cluster.listen-address=",
        "--log.level=debug",
      ],
      logFile: harness.logFile("alertmanager"),
      env: { HOME: harness.path },
      registry: harness.registry,
    });
    const url = `http://127.0.0.1:${String(port)}`;
    await stopOnFailure(child, () => waitUntilHealthy({ process: child, url: `${url}/-/ready`, timeoutMs: options.startTimeoutMs ?? 60_000 }));
    let stopping: Promise<void> | undefined;
    return {
      url,
      stop: async () => {
        stopping ??= (async () => {
          await child.stop();
          await harness.close();
        })();
        await stopping;
      },
    };
  } catch (error: unknown) {
    await harness.close();
    throw error;
  }
}
