import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";
import { incidentSpec, SoarObjects } from "../integration/reconciler-helpers.ts";

// The single-file executable as people install it: built by hack/build-cli.sh (esbuild, Node's
// single-executable application support, postject), run from a directory holding nothing else,
// with neither Node.js nor node_modules on its PATH, directly and as a kubectl plugin.
const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const kubeConfig = loadKubeConfig();
let directory = "";
let executable = "";
let namespace = "";

/** Runs `file args` with only the executable's directory and the cluster binaries on PATH, in that directory. */
async function bare(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: `${directory}${path.delimiter}${inject("binDir")}`, HOME: directory };
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd: directory, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "kubectl-soar-"));
  executable = path.join(directory, "kubectl-soar");
  await run("bash", ["hack/build-cli.sh", executable], { cwd: root, timeout: 170_000 });
  await ensureCrds(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "e2e-cli");
  await new SoarObjects(kubeConfig, namespace).createIncident("miner-alert", incidentSpec([], { severity: "critical", title: "Outbound connection to a mining pool" }));
}, 180_000);

afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  if (namespace !== "") await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

describe("the single-file kubectl-soar", () => {
  it("runs on its own and lists its commands", async () => {
    const help = await bare(executable, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: kubectl soar COMMAND [flags]");
    for (const command of ["get", "describe", "watch", "ack", "assign", "approve", "reject", "resolve", "close", "send"]) expect(help.stdout).toMatch(new RegExp(`\\n  ${command} +\\S`));
    const usage = await bare(executable, ["get", "--bogus"]);
    expect(usage.code).toBe(2);
  });

  it("lists the cluster's Incidents, directly and as `kubectl soar`", async () => {
    const direct = await bare(executable, ["get", "--kubeconfig", inject("kubeconfig"), "-n", namespace]);
    expect(direct.stderr).toBe("");
    expect(direct.stdout).toMatch(/^NAME +SEVERITY +STATE +PHASE +PLAYBOOKS +OCCURRENCES +AGE\nminer-alert +critical +Open +\S+ +<none> +1 +\S+\n$/);

    const plugin = await bare(path.join(inject("binDir"), "kubectl"), ["soar", "describe", "miner-alert", "--kubeconfig", inject("kubeconfig"), "-n", namespace]);
    expect(plugin.stderr).toBe("");
    expect(plugin.stdout).toMatch(/^Name: +miner-alert\n/);
    expect(plugin.stdout).toContain("Title:       Outbound connection to a mining pool\n");
  });
});
