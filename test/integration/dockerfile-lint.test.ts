import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { binaryPath, REPO_ROOT } from "../../hack/harness/binaries.ts";
import { DOCKERFILE } from "../support/image-layout.ts";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "dockerfile-lint");

interface LintRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs dockerfile-lint (BuildKit's parser and lint rules) on `files`. */
async function lint(...files: string[]): Promise<LintRun> {
  const command = await binaryPath(inject("binDir"), "dockerfile-lint");
  return await new Promise((resolve) => {
    execFile(command, files, { encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

describe("the Dockerfile under BuildKit's lint rules", () => {
  it("has no warning and parses", async () => {
    expect(await lint(DOCKERFILE)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("reports each rule a Dockerfile breaks, with its line, and fails", async () => {
    const file = join(FIXTURES, "warnings.Dockerfile");
    const run = await lint(file);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split("\n").map((line) => line.replace(`${file}:`, "").replace(/^(\d+: \w+):.*$/, "$1")).sort()).toEqual([
      "2: FromAsCasing",
      "3: SecretsUsedInArgOrEnv",
      "4: WorkdirRelativePath",
      "5: ConsistentInstructionCasing",
      "5: MaintainerDeprecated",
      "6: JSONArgsRecommended",
    ]);
  });

  it("reports a parse error with its line, and fails", async () => {
    const file = join(FIXTURES, "unparsable.Dockerfile");
    const run = await lint(file);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${file}:3: error: .*unknown instruction: FROOM`));
  });
});

describe("the Dockerfile's labels", () => {
  it("state package.json's version and license", async () => {
    const dockerfile = await readFile(DOCKERFILE, "utf8");
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { version: string; license: string };
    expect(dockerfile).toContain(`ARG VERSION=${pkg.version}\n`);
    expect(dockerfile).toContain(`org.opencontainers.image.licenses="${pkg.license}"`);
  });
});
