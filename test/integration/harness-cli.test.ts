import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { connect } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { REPO_ROOT } from "../../hack/harness/binaries.ts";
import { CLUSTER_STATE_FILE } from "../../hack/harness/cluster-state.ts";
import { loadKubeConfig, waitFor } from "../support/kube.ts";
import { processesMentioning } from "../support/processes.ts";

const CLUSTER_CLI = join(REPO_ROOT, "hack", "cluster.ts");
const CLUSTER_TEST_TIMEOUT_MS = 240_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the cluster CLI to completion. */
async function runCli(args: readonly string[]): Promise<CliResult> {
  return await new Promise<CliResult>((resolve) => {
    execFile(process.execPath, [CLUSTER_CLI, ...args], { cwd: REPO_ROOT, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

/** A `cluster up` running in the background. */
interface RunningUp {
  child: ChildProcess;
  /** Resolves with the export line; rejects with the CLI's stderr when it exits first. */
  exportLine: Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

function startUp(stateDir: string): RunningUp {
  const child = spawn(process.execPath, [CLUSTER_CLI, "up", "--state-dir", stateDir, "--bin-dir", inject("binDir")], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const exportLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("export "));
      if (line !== undefined) resolve(line);
    });
    void exited.then((code) => {
      reject(new Error(`cluster up exited with ${String(code)} before printing the export line:\n${stderr}`));
    });
  });
  return { child, exportLine, exited };
}

function parseExportLine(line: string): { kubeconfig: string; natsUrl: string } {
  const match = /^export KUBECONFIG=(\S+) NATS_URL=(\S+)$/.exec(line);
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`unexpected export line: ${line}`);
  return { kubeconfig: match[1], natsUrl: match[2] };
}

function commandLines(stateDir: string): string {
  return processesMentioning(stateDir)
    .map((found) => found.commandLine)
    .join("\n");
}

async function waitUntilNoProcessMentions(stateDir: string): Promise<void> {
  await waitFor(() => processesMentioning(stateDir).length === 0, {
    timeoutMs: 30_000,
    intervalMs: 200,
    description: `no process mentioning ${stateDir} (still running: ${commandLines(stateDir)})`,
  });
}

describe("hack/cluster.ts", () => {
  let stateDir = "";
  let up: RunningUp | undefined;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "kube-soar-cluster-cli-"));
  });
  afterEach(async () => {
    up?.child.kill("SIGKILL");
    up = undefined;
    await runCli(["down", "--state-dir", stateDir]);
    await rm(stateDir, { recursive: true, force: true });
  });

  it(
    "up prints a working export line, env repeats it, a second up refuses, down stops everything",
    async () => {
      up = startUp(stateDir);
      const line = await up.exportLine;
      const { kubeconfig, natsUrl } = parseExportLine(line);
      const namespace = await loadKubeConfig(kubeconfig).makeApiClient(CoreV1Api).readNamespace({ name: "default" });
      expect(namespace.metadata?.name).toBe("default");
      const connection = await connect({ servers: natsUrl });
      await connection.close();

      expect(await runCli(["env", "--state-dir", stateDir])).toMatchObject({ code: 0, stdout: `${line}\n` });
      const second = await runCli(["up", "--state-dir", stateDir, "--bin-dir", inject("binDir")]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("a cluster is already running");

      expect((await runCli(["down", "--state-dir", stateDir])).code).toBe(0);
      expect(await up.exited).toBe(0);
      expect(processesMentioning(stateDir)).toEqual([]);
      expect(existsSync(join(stateDir, CLUSTER_STATE_FILE))).toBe(false);
      const envAfter = await runCli(["env", "--state-dir", stateDir]);
      expect(envAfter.code).toBe(1);
      expect(envAfter.stderr).toContain("no running cluster");
    },
    CLUSTER_TEST_TIMEOUT_MS,
  );

  it(
    "a SIGKILLed up leaves no etcd, kube-apiserver or nats-server behind",
    async () => {
      up = startUp(stateDir);
      await up.exportLine;
      const before = commandLines(stateDir);
      for (const binary of ["/etcd ", "/kube-apiserver ", "/nats-server "]) expect(before).toContain(binary);

      up.child.kill("SIGKILL");
      await up.exited;
      await waitUntilNoProcessMentions(stateDir);
    },
    CLUSTER_TEST_TIMEOUT_MS,
  );

  it(
    "down sweeps the processes that a crashed up and its dead watchdogs left",
    async () => {
      up = startUp(stateDir);
      await up.exportLine;
      const watchdogs = processesMentioning(stateDir).filter((found) => found.commandLine.includes("kube-soar-watchdog"));
      expect(watchdogs).toHaveLength(2);
      for (const watchdog of watchdogs) process.kill(watchdog.pid, "SIGKILL");
      up.child.kill("SIGKILL");
      await up.exited;
      await waitFor(() => processesMentioning(stateDir).every((found) => !found.commandLine.includes("kube-soar-watchdog")), {
        timeoutMs: 10_000,
        description: "the killed watchdogs to be gone",
      });
      const orphans = commandLines(stateDir);
      for (const binary of ["/etcd ", "/kube-apiserver ", "/nats-server "]) expect(orphans).toContain(binary);

      expect((await runCli(["down", "--state-dir", stateDir])).code).toBe(0);
      expect(processesMentioning(stateDir)).toEqual([]);
    },
    CLUSTER_TEST_TIMEOUT_MS,
  );
});
