import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PIDFILE_NAME, ProcessRegistry } from "./pidfile.ts";
import { sweepStaleProcesses } from "./stale-sweep.ts";
import { startWatchdog, type Watchdog } from "./watchdog.ts";

/** Progress lines of a harness: pino's `info(fields, message)` shape, constant messages. */
export interface HarnessLog {
  info(fields: Record<string, unknown>, message: string): void;
}

/** A log that drops everything. */
export const silentLog: HarnessLog = { info: () => undefined };

/** Seconds between SIGTERM and SIGKILL used by the watchdog and the stale sweep. */
export const KILL_GRACE_SECONDS = 10;

// PATH for the watchdog's `sleep`; the harness never reads the caller's environment.
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The working directory of one harness: component data and logs, the pidfile of its children,
 * and the watchdog that stops those children if this process dies.
 */
export interface HarnessDir {
  readonly path: string;
  readonly registry: ProcessRegistry;
  /** Path of the log file of a component, under `<path>/logs/`. */
  logFile(component: string): string;
  /**
   * Ends the watchdog and, for a temporary directory, deletes it. Call after all children are
   * stopped; safe to call twice.
   */
  close(): Promise<void>;
}

/** Where a harness directory lives. */
export interface OpenHarnessDirOptions {
  /** A directory to use (created when missing); default: a new temporary directory. */
  dir?: string;
  /** Name prefix of the temporary directory. */
  prefix: string;
  log: HarnessLog;
}

/**
 * Opens a harness directory. A given directory is first swept of processes a crashed earlier
 * run left in its pidfile; a temporary one is deleted by `close()`, or by the watchdog when
 * this process dies.
 */
export async function openHarnessDir(options: OpenHarnessDirOptions): Promise<HarnessDir> {
  const ownsDir = options.dir === undefined;
  const path = options.dir === undefined ? await mkdtemp(join(tmpdir(), options.prefix)) : resolve(options.dir);
  if (!ownsDir) {
    await mkdir(path, { recursive: true });
    const swept = await sweepStaleProcesses(path, KILL_GRACE_SECONDS * 1_000);
    if (swept.length > 0) options.log.info({ dir: path, processes: swept }, "stopped stale processes of an earlier run");
  }
  await mkdir(join(path, "logs"), { recursive: true });
  const registry = new ProcessRegistry(join(path, PIDFILE_NAME));
  let watchdog: Watchdog | undefined = await startWatchdog({
    pidfile: registry.path,
    logFile: join(path, "logs", "watchdog.log"),
    graceSeconds: KILL_GRACE_SECONDS,
    path: SYSTEM_PATH,
    ...(ownsDir ? { removeDir: path } : {}),
  });
  return {
    path,
    registry,
    logFile: (component) => join(path, "logs", `${component}.log`),
    close: async () => {
      watchdog?.stop();
      watchdog = undefined;
      if (ownsDir) await rm(path, { recursive: true, force: true });
    },
  };
}
