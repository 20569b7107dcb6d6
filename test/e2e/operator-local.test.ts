import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { REPO_ROOT } from "../../hack/harness/binaries.ts";
import { processesMentioning } from "../support/processes.ts";
import { waitFor } from "../support/kube.ts";

const LOCAL = join(REPO_ROOT, "hack", "local.ts");

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
}

describe("npm run local (node hack/local.ts --once)", () => {
  let child: ChildProcess | undefined;
  let stateDir = "";

  afterAll(async () => {
    // Only when the test failed midway: SIGTERM makes hack/local.ts tear everything down.
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    if (stateDir !== "") await rm(stateDir, { recursive: true, force: true });
  });

  it("brings up the whole stack, answers the sample alert (the notify step reaching the local Slack stand-in), and leaves no process", { timeout: 420_000 }, async () => {
    stateDir = await mkdtemp(join(tmpdir(), "kube-soar-local-"));
    let stdout = "";
    let stderr = "";
    onTestFailed(() => { console.log(`--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`); });
    const started = spawn(process.execPath, [LOCAL, "--once", "--deadline", "3m", "--state-dir", stateDir, "--bin-dir", inject("binDir")], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    started.stdout.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
    started.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
    const finished = await new Promise<Finished>((resolve) => {
      started.once("exit", (code, signal) => { resolve({ code, signal }); });
    });

    expect(finished).toEqual({ code: 0, signal: null });
    expect(stderr).toContain(`export KUBECONFIG=${join(stateDir, "control-plane", "kubeconfig")} PATH=${inject("binDir")}:$PATH`);
    expect(stderr).toMatch(/\[local\] playbook reconciled playbook=falco-crypto-miner ready=(True|False)/);
    expect(stderr).toContain("[local] sample Falco alert published subject=falco.critical.detect_outbound_connections_to_common_miner_pool_ports");
    expect(stderr).toMatch(/\[local\] operator stopped code=0 signal=null/);
    expect(stdout).toMatch(/incident falco-detect-outbound-connections-to-common-miner-po-[0-9a-f]{10}\n.*opened: critical Detect outbound connections to common miner pool ports/);
    expect(stderr).toMatch(/\[local\] Slack stand-in listening connector=slack-secops url=https:\/\/127\.0\.0\.1:\d+\/services\/local/);
    expect(stdout).toMatch(/slack-secops \(local stand-in for Slack\) received: Crypto-miner traffic from batch\/report-gen-7f9c-kq2lz: the Pod is isolated/);
    expect(stdout).toMatch(/step falco-crypto-miner\/logs Succeeded \(attempt 1\): attempt 1: captured 2 log lines of pod batch\/report-gen-7f9c-kq2lz/);
    expect(stdout).toMatch(/step falco-crypto-miner\/notify Succeeded \(attempt 1\): attempt 1: Connector slack-secops answered HTTP 200/);
    expect(stdout).toMatch(/incident falco-detect-outbound-connections-to-common-miner-po-[0-9a-f]{10} finished: Succeeded/);
    await waitFor(() => processesMentioning(stateDir).length === 0, {
      timeoutMs: 15_000,
      description: `no process left that mentions ${stateDir}`,
    });
  });
});
