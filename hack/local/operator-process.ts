import { randomBytes } from "node:crypto";
import { chown, open, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../harness/binaries.ts";
import { logTail } from "../harness/log-tail.ts";
import { signalGroup, spawnManaged, type ExitStatus, type ManagedProcess, type ProcessUser } from "../harness/managed-process.ts";
import type { ProcessRegistry } from "../harness/pidfile.ts";
import { errorMessage, waitFor } from "../harness/wait-for.ts";
import { OPERATOR_NODE_OPTIONS } from "../../src/runtime/node-runtime-options.ts";

/** The operator's entry point, run by Node directly (type stripping). */
export const OPERATOR_MAIN = join(REPO_ROOT, "src", "main.ts");

/** The message of the log line the operator writes once its probe, metrics and receiver listeners listen. */
export const STARTED_MESSAGE = "operator started";

const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_GRACE_MS = 20_000;

/** What an operator process is started with. */
export interface OperatorLaunch {
  /** Name in the pidfile and in errors. */
  name: string;
  kubeconfig: string;
  natsUrl: string;
  /** `--namespace`: the operator's own namespace (its Lease lives there too unless a flag moves it). */
  namespace: string;
  /** `--leader-election-identity`. */
  identity: string;
  /**
   * Further flags as `flag → value` (without the leading dashes); they override the defaults
   * this module sets (`--probe-bind`, `--metrics-bind` and `--receiver-bind` on 127.0.0.1 port 0,
   * `--metrics-auth none`: metrics on a loopback address, read without a token, and
   * `--receiver-token-file` with a token generated for the launch).
   */
  flags?: Readonly<Record<string, string>>;
  /** stdout and stderr of the process are appended to this file. */
  logFile: string;
  /** The harness registry the process is recorded in, so a watchdog stops it if the caller dies. */
  registry: ProcessRegistry;
  /** The Node.js executable; default the one running this code. */
  node?: string;
  /** Further options for Node itself, placed after the operator's own (`OPERATOR_NODE_OPTIONS`) and before the entry point (e.g. `--cpu-prof`). */
  nodeOptions?: readonly string[];
  /** The script Node runs, absolute or relative to `cwd`; default {@link OPERATOR_MAIN}. */
  entryPoint?: string;
  /** Working directory of the process; default this process's. */
  cwd?: string;
  /** The process's whole environment; default empty (the operator gets everything through flags). */
  env?: Readonly<Record<string, string>>;
  /** The user and group the process runs as; the receiver token file is then theirs. Default this process's. */
  user?: ProcessUser;
}

/** One JSON log line of the operator. */
export type OperatorLogLine = Readonly<Record<string, unknown>> & { readonly msg?: unknown };

/** Ports the operator reported in its "operator started" line. */
export interface OperatorPorts {
  probePort: number;
  metricsPort: number;
  /** Undefined when the receiver is disabled. */
  receiverPort: number | undefined;
}

/**
 * The command-line arguments of `node src/main.ts` for a launch: defaults (the receiver
 * accepting the tokens of `receiverTokenFile`), then `flags`.
 */
export function operatorArgs(launch: Pick<OperatorLaunch, "kubeconfig" | "natsUrl" | "namespace" | "identity" | "flags">, receiverTokenFile: string): string[] {
  const flags: Record<string, string> = {
    kubeconfig: launch.kubeconfig,
    "nats-servers": launch.natsUrl,
    namespace: launch.namespace,
    "leader-election-identity": launch.identity,
    "probe-bind": "127.0.0.1:0",
    "metrics-bind": "127.0.0.1:0",
    "metrics-auth": "none",
    "receiver-bind": "127.0.0.1:0",
    "receiver-token-file": receiverTokenFile,
    ...launch.flags,
  };
  return Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, value]);
}

/** Parses the JSON lines of a log text; lines that are not JSON objects are left out. */
export function parseLogLines(text: string): OperatorLogLine[] {
  const lines: OperatorLogLine[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) lines.push(value as OperatorLogLine);
    } catch {
      // A line cut short by SIGKILL, or a line of something else.
    }
  }
  return lines;
}

/** The ports of the first "operator started" line of `lines`, if there is one. */
export function startedPorts(lines: readonly OperatorLogLine[]): OperatorPorts | undefined {
  const line = lines.find((candidate) => candidate.msg === STARTED_MESSAGE);
  if (line === undefined) return undefined;
  const probePort = line["probePort"];
  const metricsPort = line["metricsPort"];
  const receiverPort = line["receiverPort"];
  if (typeof probePort !== "number" || typeof metricsPort !== "number") return undefined;
  return { probePort, metricsPort, receiverPort: typeof receiverPort === "number" ? receiverPort : undefined };
}

/**
 * A running `node src/main.ts` in its own process group. Its output goes to a log file of
 * which it only reads what this process wrote (the file may hold earlier runs).
 */
export class OperatorProcess {
  readonly name: string;
  readonly identity: string;
  readonly logFile: string;
  /** The file holding {@link receiverToken}, one line, next to the log file. */
  readonly receiverTokenFile: string;
  /** The token the receiver accepts (as `Authorization: Bearer <token>`) unless the launch's flags chose otherwise. */
  readonly receiverToken: string;
  readonly #process: ManagedProcess;
  readonly #logOffset: number;
  #ports: OperatorPorts | undefined;

  constructor(name: string, identity: string, process: ManagedProcess, logOffset: number, receiver: { tokenFile: string; token: string }) {
    this.name = name;
    this.identity = identity;
    this.logFile = process.logFile;
    this.receiverTokenFile = receiver.tokenFile;
    this.receiverToken = receiver.token;
    this.#process = process;
    this.#logOffset = logOffset;
  }

  get pid(): number {
    return this.#process.pid;
  }

  /** Resolves (never rejects) with how the process ended. */
  get exited(): Promise<ExitStatus> {
    return this.#process.exited;
  }

  /** How the process ended, or undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.#process.exitStatus;
  }

  /** The ports from the "operator started" line; throws before {@link waitUntilStarted} resolved. */
  get ports(): OperatorPorts {
    if (this.#ports === undefined) throw new Error(`${this.name}: the operator has not reported its ports yet`);
    return this.#ports;
  }

  /** The JSON log lines this process wrote so far. */
  async logLines(): Promise<OperatorLogLine[]> {
    return parseLogLines(await this.#ownLog());
  }

  /**
   * Resolves with the ports once the operator logged "operator started". Rejects with the log
   * tail when it exits first or `timeoutMs` passes.
   */
  async waitUntilStarted(timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<OperatorPorts> {
    const outcome = await waitFor(
      async () => {
        const ports = startedPorts(await this.logLines());
        if (ports !== undefined) return ports;
        return this.exitStatus === undefined ? undefined : "exited";
      },
      { timeoutMs, intervalMs: 50, description: `${this.name} to log "${STARTED_MESSAGE}"` },
    ).catch(async (error: unknown) => {
      throw new Error(`${errorMessage(error)}\n${await this.describe()}`, { cause: error });
    });
    if (outcome === "exited") throw new Error(`${this.name} exited before it started\n${await this.describe()}`);
    this.#ports = outcome;
    return outcome;
  }

  /** GETs a path of the probe server (`/readyz`, `/healthz`, `/livez`) and resolves with status and body. */
  async probe(path: string): Promise<{ status: number; body: string }> {
    return await this.#get(this.ports.probePort, path);
  }

  /**
   * GETs `/metrics` from the metrics listener (plain HTTP) and resolves with status and body;
   * `token`, when given, is sent as `Authorization: Bearer <token>` (for `--metrics-auth kubernetes`).
   */
  async metrics(token?: string): Promise<{ status: number; body: string }> {
    return await this.#get(this.ports.metricsPort, "/metrics", token === undefined ? {} : { authorization: `Bearer ${token}` });
  }

  async #get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return await new Promise((resolve, reject) => {
      const call = request({ host: "127.0.0.1", port, path, method: "GET", headers, timeout: 5_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", reject);
      });
      call.on("timeout", () => call.destroy(new Error(`GET ${path} on port ${port} timed out`)));
      call.on("error", reject);
      call.end();
    });
  }

  /** Resolves once `/readyz` answers 200; rejects with the last answer after `timeoutMs`. */
  async waitUntilReady(timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<void> {
    let last = "no answer yet";
    await waitFor(
      async () => {
        if (this.exitStatus !== undefined) throw new Error(`${this.name} exited`);
        const answer = await this.probe("/readyz");
        last = `${answer.status} ${answer.body.trim()}`;
        return answer.status === 200;
      },
      { timeoutMs, intervalMs: 100, description: `${this.name} /readyz to answer 200` },
    ).catch(async (error: unknown) => {
      throw new Error(`${errorMessage(error)}; last answer: ${last}\n${await this.describe()}`, { cause: error });
    });
  }

  /** Sends SIGKILL to the process group and resolves once the process is gone. */
  async kill(): Promise<ExitStatus> {
    signalGroup(this.pid, "SIGKILL");
    return await this.exited;
  }

  /**
   * Sends SIGTERM (the graceful shutdown) and resolves with the exit status; SIGKILL follows
   * only when the process outlives `graceMs`.
   */
  async terminate(graceMs = DEFAULT_STOP_GRACE_MS): Promise<ExitStatus> {
    await this.#process.stop(graceMs);
    return await this.exited;
  }

  /** A paragraph for errors: how the process ended and the tail of its log. */
  async describe(lines = 60): Promise<string> {
    return await this.#process.describe(lines);
  }

  /** The last `lines` lines of its log file. */
  async logTail(lines = 60): Promise<string> {
    return await logTail(this.logFile, lines);
  }

  async #ownLog(): Promise<string> {
    const file = await open(this.logFile, "r");
    try {
      const { size } = await file.stat();
      const length = Math.max(0, size - this.#logOffset);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, this.#logOffset);
      return buffer.toString("utf8");
    } finally {
      await file.close();
    }
  }
}

/**
 * Starts `node src/main.ts` (or the launch's entry point) with the launch's flags in a new
 * process group, recorded in the registry, and resolves as soon as the operating system
 * started it (not when the operator is ready: see {@link OperatorProcess.waitUntilStarted}).
 * The environment is the launch's, empty by default: the operator gets everything through
 * flags. A fresh receiver token is written, readable by the process's user only, to
 * `<name>.receiver-token` next to the log file.
 */
export async function spawnOperator(launch: OperatorLaunch): Promise<OperatorProcess> {
  const offset = await stat(launch.logFile).then((info) => info.size, () => 0);
  const token = randomBytes(24).toString("base64url");
  const tokenFile = join(dirname(launch.logFile), `${launch.name}.receiver-token`);
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  if (launch.user !== undefined) await chown(tokenFile, launch.user.uid, launch.user.gid);
  const child = await spawnManaged({
    name: launch.name,
    command: launch.node ?? process.execPath,
    args: [...OPERATOR_NODE_OPTIONS, ...(launch.nodeOptions ?? []), launch.entryPoint ?? OPERATOR_MAIN, ...operatorArgs(launch, tokenFile)],
    logFile: launch.logFile,
    env: launch.env ?? {},
    registry: launch.registry,
    ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
    ...(launch.user === undefined ? {} : { user: launch.user }),
  });
  return new OperatorProcess(launch.name, launch.identity, child, offset, { tokenFile, token });
}

/** {@link spawnOperator}, then waits for the "operator started" line; stops the process if it never comes. */
export async function startOperator(launch: OperatorLaunch, timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<OperatorProcess> {
  const operator = await spawnOperator(launch);
  try {
    await operator.waitUntilStarted(timeoutMs);
  } catch (error: unknown) {
    await operator.kill();
    throw error;
  }
  return operator;
}
