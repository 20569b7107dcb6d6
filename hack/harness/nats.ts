import { join } from "node:path";
import { binaryPath, locateBinDir } from "./binaries.ts";
import { freePort } from "./free-port.ts";
import { openHarnessDir, silentLog, type HarnessLog } from "./harness-dir.ts";
import { waitUntilHealthy } from "./health.ts";
import { spawnManaged, stopOnFailure, type ManagedProcess } from "./managed-process.ts";

/** How to start NATS. */
export interface StartNatsOptions {
  /** Working directory (created when missing, swept of stale processes); default: a temporary one. */
  dir?: string;
  /** Client port; default: a random free one. */
  port?: number;
  /** Directory of the binaries; default: {@link locateBinDir} without overrides. */
  binDir?: string;
  log?: HarnessLog;
  /** Deadline for the server to become healthy; default one minute. */
  startTimeoutMs?: number;
}

/** A running nats-server with JetStream. */
export interface RunningNats {
  /** `nats://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  readonly port: number;
  /** The JetStream store directory, kept across restarts. */
  readonly storeDir: string;
  readonly dir: string;
  /** Stops the server, then deletes the directory if it was temporary. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops the server (SIGTERM, so JetStream flushes) and starts it again on the same port and
   * store; resolves once JetStream is healthy. Rejects after `stop()`.
   */
  restart(): Promise<void>;
  /**
   * Suspends the server (SIGSTOP): clients stay connected but nothing is answered until
   * {@link resume}, as with a server that hangs. Throws when it is not running.
   */
  pause(): void;
  /** Lets a paused server run again (SIGCONT); harmless when it is not paused or not running. */
  resume(): void;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;

/**
 * Starts a real nats-server with JetStream on 127.0.0.1 and resolves once its monitoring
 * endpoint reports JetStream healthy; rejects with the server's log tail otherwise. The
 * server also dies with this process (watchdog).
 */
export async function startNats(options: StartNatsOptions = {}): Promise<RunningNats> {
  const log = options.log ?? silentLog;
  const command = await binaryPath(options.binDir ?? (await locateBinDir()), "nats-server");
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const harness = await openHarnessDir({
    prefix: "kube-soar-nats-",
    log,
    ...(options.dir === undefined ? {} : { dir: options.dir }),
  });
  const port = options.port ?? (await freePort());
  const monitorPort = await freePort();
  const storeDir = join(harness.path, "jetstream");
  const start = async (): Promise<ManagedProcess> => {
    const at = Date.now();
    const child = await spawnManaged({
      name: "nats-server",
      command,
      args: ["--addr=127.0.0.1", `--port=${port}`, "--http_port", String(monitorPort), "--jetstream", "--store_dir", storeDir],
      logFile: harness.logFile("nats-server"),
      env: { HOME: harness.path },
      registry: harness.registry,
    });
    await stopOnFailure(child, () => waitUntilHealthy({
      process: child,
      url: `http://127.0.0.1:${monitorPort}/healthz?js-enabled-only=true`,
      timeoutMs,
    }));
    log.info({ component: "nats-server", port, ms: Date.now() - at }, "component ready");
    return child;
  };

  let server: ManagedProcess | undefined;
  try {
    server = await start();
  } catch (error: unknown) {
    await harness.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    dir: harness.path,
    stop: async () => {
      stopping ??= (async () => {
        await server?.stop();
        server = undefined;
        await harness.close();
      })();
      await stopping;
    },
    pause: () => {
      if (server === undefined) throw new Error("nats: pause while nats-server is not running");
      server.pause();
    },
    resume: () => {
      server?.resume();
    },
    restart: async () => {
      if (stopping !== undefined) throw new Error("nats: restart after stop()");
      await server?.stop();
      server = undefined;
      server = await start();
    },
  };
}
