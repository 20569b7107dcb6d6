import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitWhileRunning } from "../../hack/harness/health.ts";
import { signalGroup, spawnManaged } from "../../hack/harness/managed-process.ts";
import { formatPidfile, PIDFILE_NAME, ProcessRegistry, readPidfile } from "../../hack/harness/pidfile.ts";
import { groupAlive, sweepStaleProcesses } from "../../hack/harness/stale-sweep.ts";
import { waitFor } from "../support/kube.ts";
import { processesMentioning } from "../support/processes.ts";

/** Starts a bash running `sleep`, in a process group of its own, whose command line mentions `marker`. */
async function detachedSleeper(marker: string): Promise<number> {
  const child = spawn("bash", ["-c", "sleep 600; exit 0", marker], { detached: true, stdio: "ignore" });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  child.unref();
  if (child.pid === undefined) throw new Error("sleep started without a pid");
  return child.pid;
}

describe("harness processes", () => {
  let dir = "";
  const strays: number[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "kube-soar-processes-"));
  });
  afterEach(async () => {
    for (const pid of strays.splice(0)) signalGroup(pid, "SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("stop() escalates to SIGKILL when a child ignores SIGTERM, and unlists it", async () => {
    const registry = new ProcessRegistry(join(dir, PIDFILE_NAME));
    const child = await spawnManaged({
      name: "stubborn",
      // A Node child ignores SIGTERM in-process: no shell, no grandchild that could die of the signal first.
      command: process.execPath,
      args: ["-e", "process.on('SIGTERM', () => {}); console.log('trapped'); setInterval(() => {}, 100);", dir],
      logFile: join(dir, "stubborn.log"),
      env: { PATH: "/usr/bin:/bin" },
      registry,
    });
    expect(readPidfile(registry.path)).toEqual([{ pid: child.pid, name: "stubborn" }]);
    // Signal only once the handler is installed; a SIGTERM before that would end the child normally.
    // The log's first line quotes the command, so only a line that is exactly "trapped" counts.
    await waitFor(async () => (await readFile(join(dir, "stubborn.log"), "utf8")).split("\n").includes("trapped"), { timeoutMs: 10_000, intervalMs: 20, description: "the child to ignore SIGTERM" });
    await child.stop(300);
    expect(child.exitStatus).toEqual({ code: null, signal: "SIGKILL" });
    expect(readPidfile(registry.path)).toEqual([]);
    expect(processesMentioning(dir)).toEqual([]);
    await child.stop();
  });

  it("rejects naming the component when the command cannot be started", async () => {
    await expect(
      spawnManaged({
        name: "ghost",
        command: join(dir, "no-such-binary"),
        args: [],
        logFile: join(dir, "ghost.log"),
        env: {},
        registry: new ProcessRegistry(join(dir, PIDFILE_NAME)),
      }),
    ).rejects.toThrow(`ghost: cannot start ${join(dir, "no-such-binary")}`);
  });

  it("sweeps only the listed processes whose command line names the directory", async () => {
    const stale = await detachedSleeper(join(dir, "data"));
    const unrelated = await detachedSleeper("somewhere-else");
    strays.push(stale, unrelated);
    await writeFile(
      join(dir, PIDFILE_NAME),
      formatPidfile([{ pid: stale, name: "etcd" }, { pid: unrelated, name: "recycled-pid" }]),
    );

    expect(await sweepStaleProcesses(dir, 5_000)).toEqual([{ pid: stale, name: "etcd" }]);
    expect(groupAlive(stale)).toBe(false);
    expect(groupAlive(unrelated)).toBe(true);
  });

  it("waits for readiness only while the component runs, and explains a timeout", async () => {
    const registry = new ProcessRegistry(join(dir, PIDFILE_NAME));
    const child = await spawnManaged({
      name: "slow-starter",
      command: "bash",
      args: ["-c", "echo warming up; sleep 600; exit 0", dir],
      logFile: join(dir, "slow-starter.log"),
      env: { PATH: "/usr/bin:/bin" },
      registry,
    });
    try {
      await waitWhileRunning(child, { description: "the first probe", timeoutMs: 5_000, probe: () => Promise.resolve(true) });
      await expect(
        waitWhileRunning(child, { description: "a port", timeoutMs: 200, probe: () => Promise.resolve("port closed") }),
      ).rejects.toThrow(/waiting for a port; last seen: port closed\nslow-starter \(pid \d+\) is still running[\s\S]*warming up/);
    } finally {
      await child.stop();
    }
    await expect(
      waitWhileRunning(child, { description: "a port", timeoutMs: 5_000, probe: () => Promise.resolve("port closed") }),
    ).rejects.toThrow(/slow-starter exited while waiting for a port\nslow-starter \(pid \d+\) exited with signal SIGTERM/);
  });
});
