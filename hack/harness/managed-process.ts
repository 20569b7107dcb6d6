import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, openSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { logTail } from "./log-tail.ts";
import type { ProcessRegistry } from "./pidfile.ts";

/** How a child process ended. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What to run, where its output goes, and where it is recorded. */
export interface SpawnManagedOptions {
  /** Component name, used in errors, in the pidfile and in log lines. */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended to this file. */
  logFile: string;
  env: Readonly<Record<string, string>>;
  registry: ProcessRegistry;
  /** Working directory of the process; default this process's. */
  cwd?: string;
  /** The user and group the process runs as (this process must be allowed to switch); default this process's. */
  user?: ProcessUser;
}

/** A numeric user and group to run a process as. */
export interface ProcessUser {
  uid: number;
  gid: number;
}

/** Default time between SIGTERM and SIGKILL when stopping a child. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/**
 * A child process that leads its own process group, appends its output to a log file, is
 * listed in its harness pidfile while it runs, and whose whole group is killed by `stop()`.
 */
export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves (never rejects) when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  readonly #child: ChildProcess;
  #status: ExitStatus | undefined;
  #stopping: Promise<void> | undefined;

  constructor(name: string, child: ChildProcess, pid: number, logFile: string, exited: Promise<ExitStatus>) {
    this.name = name;
    this.#child = child;
    this.pid = pid;
    this.logFile = logFile;
    this.exited = exited.then((status) => {
      this.#status = status;
      return status;
    });
  }

  /** How the process ended, or undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.#status;
  }

  /** Suspends the process group (SIGSTOP): it keeps its sockets but answers nothing until {@link resume}. */
  pause(): void {
    if (this.#status === undefined) signalGroup(this.pid, "SIGSTOP");
  }

  /** Lets a paused process group run again (SIGCONT); harmless when it is not paused. */
  resume(): void {
    if (this.#status === undefined) signalGroup(this.pid, "SIGCONT");
  }

  /**
   * Sends SIGTERM to the process group (and SIGCONT, so that a paused one can act on it), then SIGKILL after `graceMs` if the leader is still
   * running; resolves once the leader has exited and the rest of its group was killed.
   * Safe to call any number of times: later calls wait for the first one.
   */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.#stopping ??= this.#terminate(graceMs);
    await this.#stopping;
  }

  async #terminate(graceMs: number): Promise<void> {
    if (this.#status === undefined) {
      // Keeps this process alive until the child is reaped, even when nothing else is pending.
      this.#child.ref();
      signalGroup(this.pid, "SIGTERM");
      signalGroup(this.pid, "SIGCONT");
      if (!(await settlesWithin(this.exited, graceMs))) signalGroup(this.pid, "SIGKILL");
      await this.exited;
    }
    // Whatever the leader left behind in its group.
    signalGroup(this.pid, "SIGKILL");
  }

  /** A paragraph for error messages: how the process ended (if it did) and its log's tail. */
  async describe(lines = 40): Promise<string> {
    const status = this.#status;
    const state =
      status === undefined
        ? "is still running"
        : `exited with ${status.signal === null ? `code ${String(status.code)}` : `signal ${status.signal}`}`;
    return `${this.name} (pid ${this.pid}) ${state}; last lines of ${this.logFile}:\n${await logTail(this.logFile, lines)}`;
  }
}

/**
 * Starts a child in a new process group with output appended to `logFile`, records it in
 * the registry until it exits, and resolves once the operating system has started it.
 * Rejects with an error naming the component and the command when it cannot be started.
 */
export async function spawnManaged(options: SpawnManagedOptions): Promise<ManagedProcess> {
  appendFileSync(
    options.logFile,
    `==> ${new Date().toISOString()} starting ${options.command} ${options.args.join(" ")}\n`,
  );
  const output = openSync(options.logFile, "a");
  try {
    const child = spawn(options.command, options.args, {
      detached: true,
      stdio: ["ignore", output, output],
      env: { ...options.env },
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error: Error) => {
        reject(new Error(`${options.name}: cannot start ${options.command}: ${error.message}`, { cause: error }));
      });
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${options.name}: ${options.command} started without a pid`);
    // Errors after a successful spawn only concern signalling, which signalGroup handles.
    child.on("error", () => undefined);
    options.registry.add(pid, options.name);
    const exited = new Promise<ExitStatus>((resolve) => {
      child.once("exit", (code, signal) => {
        options.registry.remove(pid);
        resolve({ code, signal });
      });
    });
    // The parent may exit while children run; the watchdog then stops them.
    child.unref();
    return new ManagedProcess(options.name, child, pid, options.logFile, exited);
  } finally {
    closeSync(output);
  }
}

/** Runs `step`; when it fails, stops `child` (and its group) before passing the error on. */
export async function stopOnFailure(child: ManagedProcess, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error: unknown) {
    await child.stop();
    throw error;
  }
}

/** Sends a signal to every process of the group led by `pid`; a vanished group is ignored. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error: unknown) {
    if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
  }
}

/** True when `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise.then(() => true),
      delay(ms, false, { signal: timer.signal }),
    ]);
  } finally {
    timer.abort();
  }
}
