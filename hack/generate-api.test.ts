import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const script = path.join(import.meta.dirname, "generate-api.ts");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function generate(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    if (error instanceof Error && "code" in error && typeof error.code === "number") {
      const output = error as Error & { stdout?: string; stderr?: string };
      return { code: error.code, stdout: output.stdout ?? "", stderr: output.stderr ?? "" };
    }
    throw error;
  }
}

let root = "";

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "kube-soar-generate-cli-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Each case starts Node processes, which is slow on a busy machine.
const processBudgetMs = 60_000;

describe("node hack/generate-api.ts", () => {
  it("writes the files, then --check passes, then an edit makes --check fail with the fix", async () => {
    const written = await generate("--root", root);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain("updated crds/playbooks.soar.kube-soar.io.yaml");
    expect(written.stdout).toContain("updated src/api/v1alpha1/types.generated.ts");

    const clean = await generate("--check", "--root", root);
    expect(clean).toMatchObject({ code: 0, stderr: "" });

    const crd = path.join(root, "crds/incidents.soar.kube-soar.io.yaml");
    await writeFile(crd, (await readFile(crd, "utf8")).replace("shortNames:\n      - inc", "shortNames:\n      - i"));
    const drifted = await generate("--check", "--root", root);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toContain("crds/incidents.soar.kube-soar.io.yaml: out of date with the schema");
    expect(drifted.stderr).toContain("run `npm run generate`");
  }, processBudgetMs);

  it("rejects unknown arguments with the usage", async () => {
    const run = await generate("--chek");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("usage: node hack/generate-api.ts [--check] [--root <dir>]");
  }, processBudgetMs);
});
