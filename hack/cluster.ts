// A local kube-soar cluster: the harness control plane plus NATS, in the foreground.
//
//   npm run cluster -- up [--profile integration|e2e] [--state-dir DIR] [--bin-dir DIR]
//   npm run cluster -- down [--state-dir DIR]
//   npm run cluster -- env [--state-dir DIR]
//
// `up` prints `export KUBECONFIG=… NATS_URL=…` once everything is ready and runs until Ctrl-C
// (or `down`), then stops everything. The state directory defaults to .local/cluster; the
// binaries come from --bin-dir, else $KUBE_SOAR_BIN_DIR, else hack/build-tools.sh.
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino, type Logger } from "pino";
import { locateBinDir, REPO_ROOT } from "./harness/binaries.ts";
import {
  clusterProcessAlive,
  CONTROL_PLANE_SUBDIR,
  exportLine,
  NATS_SUBDIR,
  readClusterState,
  removeClusterState,
  writeClusterState,
} from "./harness/cluster-state.ts";
import type { ControlPlane, ControlPlaneProfile } from "./harness/control-plane.ts";
import { KILL_GRACE_SECONDS } from "./harness/harness-dir.ts";
import { startNats, type RunningNats } from "./harness/nats.ts";
import { sweepStaleProcesses } from "./harness/stale-sweep.ts";
import { errorMessage, waitFor } from "./harness/wait-for.ts";

const USAGE = `usage: npm run cluster -- <up|down|env> [--profile integration|e2e] [--state-dir DIR] [--bin-dir DIR]
  up    start the control plane and NATS; print the export line; run until Ctrl-C
  down  stop the cluster that 'up' runs (or what a crashed 'up' left behind)
  env   print the export line of the running cluster`;

interface Command {
  name: "up" | "down" | "env";
  profile: ControlPlaneProfile;
  stateDir: string;
  binDir: string | undefined;
}

function parseCommand(argv: readonly string[]): Command {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      profile: { type: "string", default: "integration" },
      "state-dir": { type: "string" },
      "bin-dir": { type: "string" },
    },
  });
  const [name, ...extra] = positionals;
  if ((name !== "up" && name !== "down" && name !== "env") || extra.length > 0) {
    throw new Error(`expected one command, up, down or env\n${USAGE}`);
  }
  const profile = values.profile;
  if (profile !== "integration" && profile !== "e2e") {
    throw new Error(`--profile must be integration or e2e, not ${JSON.stringify(profile)}`);
  }
  const binDir = values["bin-dir"];
  return {
    name,
    profile,
    stateDir: resolve(values["state-dir"] ?? join(REPO_ROOT, ".local", "cluster")),
    binDir: binDir === undefined ? undefined : resolve(binDir),
  };
}

/** Stops what a crashed run left in the state directory; keeps the directories (their logs). */
async function sweepStateDir(stateDir: string, log: Logger): Promise<void> {
  for (const subdir of [CONTROL_PLANE_SUBDIR, NATS_SUBDIR]) {
    const swept = await sweepStaleProcesses(join(stateDir, subdir), KILL_GRACE_SECONDS * 1_000);
    if (swept.length > 0) log.info({ dir: join(stateDir, subdir), processes: swept }, "stopped stale processes");
  }
  await removeClusterState(stateDir);
}

async function up(command: Command, env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  const running = readClusterState(command.stateDir);
  if (running !== undefined && clusterProcessAlive(running.pid)) {
    throw new Error(`a cluster is already running (pid ${running.pid}) in ${command.stateDir}; stop it with: npm run cluster -- down`);
  }
  await mkdir(command.stateDir, { recursive: true });
  await sweepStateDir(command.stateDir, log);
  for (const subdir of [CONTROL_PLANE_SUBDIR, NATS_SUBDIR]) {
    await rm(join(command.stateDir, subdir), { recursive: true, force: true });
  }
  const stopSignal = new Promise<NodeJS.Signals>((resolveSignal) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => { resolveSignal(signal); });
  });
  // Children and watchdogs do not hold the event loop; this does until the cluster stops.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let controlPlane: ControlPlane | undefined;
  let nats: RunningNats | undefined;
  const stopAll = async (): Promise<void> => {
    await nats?.stop();
    await controlPlane?.stop();
    await removeClusterState(command.stateDir);
    clearInterval(keepAlive);
  };
  try {
    const binDir = command.binDir ?? (await locateBinDir({ env }));
    // Loaded here so that `env` and `down` do not pay for the Kubernetes client's import.
    const { startControlPlane } = await import("./harness/control-plane.ts");
    const dir = (subdir: string): string => join(command.stateDir, subdir);
    controlPlane = await startControlPlane({ profile: command.profile, dir: dir(CONTROL_PLANE_SUBDIR), binDir, log });
    nats = await startNats({ dir: dir(NATS_SUBDIR), binDir, log });
    const state = {
      pid: process.pid,
      profile: command.profile,
      kubeconfig: controlPlane.kubeconfigPath,
      server: controlPlane.server,
      natsUrl: nats.url,
    };
    await writeClusterState(command.stateDir, state);
    console.log(exportLine(state));
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
  const signal = await stopSignal;
  log.info({ signal }, "stopping the cluster");
  await stopAll();
  log.info({ stateDir: command.stateDir }, "cluster stopped");
}

async function down(command: Command, log: Logger): Promise<void> {
  const state = readClusterState(command.stateDir);
  if (state !== undefined && clusterProcessAlive(state.pid)) {
    process.kill(state.pid, "SIGTERM");
    await waitFor(() => !clusterProcessAlive(state.pid), {
      timeoutMs: 120_000,
      intervalMs: 200,
      description: `the cluster process ${state.pid} to stop`,
    });
    log.info({ clusterPid: state.pid }, "cluster stopped");
  }
  await sweepStateDir(command.stateDir, log);
}

function printEnv(command: Command): void {
  const state = readClusterState(command.stateDir);
  if (state === undefined || !clusterProcessAlive(state.pid)) {
    throw new Error(`no running cluster in ${command.stateDir}; start one with: npm run cluster -- up`);
  }
  console.log(exportLine(state));
}

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  const log = pino({ name: "kube-soar-cluster" }, pino.destination(2));
  switch (command.name) {
    case "up":
      await up(command, process.env, log);
      return;
    case "down":
      await down(command, log);
      return;
    case "env":
      printEnv(command);
      return;
  }
}

try {
  await main();
} catch (error: unknown) {
  console.error(`cluster: ${errorMessage(error)}`);
  process.exitCode = 1;
}
