import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../command.ts";
import { lintCommand } from "./lint-command.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = "test/fixtures/lint";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kubectl soar lint ARGS` in `cwd` with captured output. */
async function lint(args: readonly string[], cwd = REPO_ROOT): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env: {}, cwd };
  const code = await lintCommand.run(args, io);
  return { code, stdout, stderr };
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

const NOT_CHECKED = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/** Every broken fixture, one per kind of error, with exactly what lint prints about it. */
const FIXTURE_CASES: readonly { readonly file: string; readonly code: number; readonly findings: readonly string[] }[] = [
  {
    file: "schema-type.yaml",
    code: 1,
    findings: [
      `12:16: spec.steps[0].job.image: Invalid value: "integer": spec.steps[0].job.image in body must be of type string: "integer"`,
      `2:1: ${NOT_CHECKED}`,
    ],
  },
  { file: "schema-required.yaml", code: 1, findings: ["6:1: spec.trigger: Required value", `2:1: ${NOT_CHECKED}`] },
  {
    file: "schema-enum.yaml",
    code: 1,
    findings: [`9:18: spec.trigger.minSeverity: Unsupported value: "urgent": supported values: "info", "low", "medium", "high", "critical"`, `2:1: ${NOT_CHECKED}`],
  },
  {
    file: "schema-duration-pattern.yaml",
    code: 1,
    findings: [String.raw`10:13: spec.dedup.window: Invalid value: "1 hour": spec.dedup.window in body should match '^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$'`],
  },
  { file: "schema-unknown-field.yaml", code: 1, findings: ['11:7: spec.steps[0].continueOnErrors: unknown field "spec.steps[0].continueOnErrors"'] },
  { file: "schema-validation-rule.yaml", code: 1, findings: ["10:7: spec.steps[0]: Invalid value: exactly one of job, action, connector, approval or notify must be set"] },
  { file: "cel-syntax-when.yaml", code: 1, findings: ["9:11: spec.trigger.when: syntax error at 1:50: found & but expecting end of input"] },
  { file: "cel-unknown-function.yaml", code: 1, findings: ["10:10: spec.dedup.key: unknown function 'lower' at 1:1"] },
  {
    file: "template-unknown-variable.yaml",
    code: 1,
    findings: ["15:13: spec.steps[0].job.args[1]: template segment 0 (offset 9): undeclared reference to 'incidnet' at 1:2 (step expressions may use: event, incident, steps)"],
  },
  { file: "step-graph-cycle.yaml", code: 1, findings: ["15:7: spec.steps[1].needs: dependency cycle: scan -> report -> scan"] },
  {
    file: "step-graph-unknown-needs.yaml",
    code: 1,
    findings: ["9:3: spec.steps: Invalid value: every entry of needs must name a step of this playbook", '14:15: spec.steps[1].needs[0]: no step named "scna" in this Playbook'],
  },
  {
    file: "step-graph-duplicate-names.yaml",
    code: 1,
    findings: ["9:3: spec.steps: Invalid value: step names must be unique", '13:13: spec.steps[1].name: duplicate step name "scan" (also spec.steps[0].name)'],
  },
  { file: "compile-duration.yaml", code: 1, findings: ['11:16: spec.steps[0].timeout: "0s" is not a positive duration such as 90s or 1h30m'] },
  {
    file: "shell-template-warning.yaml",
    code: 0,
    findings: ["15:13: warning: spec.steps[0].job.args[0]: ${{ event.data.output }} inside a shell script is run as shell code; use ${{ shellQuote(event.data.output) }} or pass the value as an argument or environment variable"],
  },
  { file: "connector-managed-header.yaml", code: 1, findings: ["10:20: spec.headers.Authorization: set by kube-soar; use auth for credentials"] },
  {
    file: "json-document.json",
    code: 1,
    findings: ["8:78: spec.steps[0].retries.limit: Invalid value: 11: spec.steps[0].retries.limit in body should be less than or equal to 10"],
  },
  {
    file: "multi-document.yaml",
    code: 1,
    findings: [
      "13:1: spec.pagerduty: Invalid value: pagerduty settings are required for type pagerduty and only allowed for it",
      '18:7: kind: "soar.kube-soar.io/v1alpha1" "Playbok" is not served: soar.kube-soar.io/v1alpha1 has the kinds Playbook, Incident, Connector',
    ],
  },
  { file: "yaml-syntax.yaml", code: 1, findings: ["9:3: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"] },
];

describe("kubectl soar lint", () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it.each(FIXTURE_CASES)("reports $file with each message at its line and column", async ({ file, code, findings }) => {
    const run = await lint([`${FIXTURES}/${file}`]);
    expect(lines(run.stdout)).toEqual(findings.map((finding) => `${FIXTURES}/${file}:${finding}`));
    expect(run.code).toBe(code);
  });

  it("has a fixture for every broken Playbook it documents and nothing else in the directory", async () => {
    const run = await lint([FIXTURES]);
    expect(lines(run.stdout)).toHaveLength(FIXTURE_CASES.flatMap((fixture) => fixture.findings).length);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`in ${FIXTURE_CASES.length} files:`);
  });

  it("passes every sample of config/samples", async () => {
    const run = await lint(["config/samples"]);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("lint: 5 objects in 6 files: 0 errors, 0 warnings\n");
  });

  it("prints GitHub Actions annotations with -o github, warnings as ::warning", async () => {
    const run = await lint(["-o", "github", `${FIXTURES}/schema-required.yaml`, `${FIXTURES}/shell-template-warning.yaml`]);
    expect(lines(run.stdout)).toEqual([
      `::error file=${FIXTURES}/schema-required.yaml,line=6,col=1::spec.trigger: Required value`,
      `::error file=${FIXTURES}/schema-required.yaml,line=2,col=1::${NOT_CHECKED}`,
      `::warning file=${FIXTURES}/shell-template-warning.yaml,line=15,col=13::spec.steps[0].job.args[0]: \${{ event.data.output }} inside a shell script is run as shell code; use \${{ shellQuote(event.data.output) }} or pass the value as an argument or environment variable`,
    ]);
    expect(run.code).toBe(1);
  });

  it("escapes what would end a workflow command's property or message", async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "lint-"));
    await writeFile(path.join(scratch, "a,b.yaml"), "apiVersion: soar.kube-soar.io/v1alpha1\nkind: Connector\nmetadata: {name: c}\nspec: {type: http, url: 'https://x.example/100%'}\nfoo: 1\n");
    const run = await lint(["-o", "github", "a,b.yaml"], scratch);
    expect(run.stdout).toBe('::error file=a%2Cb.yaml,line=5,col=1::foo: unknown field "foo"\n');
  });

  it("reports files of a directory under the name it was given, relative to the working directory", async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "lint-"));
    await writeFile(path.join(scratch, "pb.yml"), "apiVersion: soar.kube-soar.io/v1alpha1\nkind: Playbook\nmetadata: {name: p}\nspec:\n  trigger: {types: [t]}\n  steps: []\n");
    await writeFile(path.join(scratch, "notes.txt"), "not a manifest");
    const run = await lint(["."], scratch);
    expect(lines(run.stdout)).toEqual([
      "pb.yml:6:3: spec.steps: Invalid value: 0: spec.steps in body should have at least 1 items",
    ]);
  });

  it("reads YAML as kubectl does: yes and no are booleans", async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "lint-"));
    await writeFile(path.join(scratch, "pb.yaml"), "apiVersion: soar.kube-soar.io/v1alpha1\nkind: Playbook\nmetadata: {name: p}\nspec:\n  trigger: {types: [t]}\n  dryRun: yes\n  steps: [{name: a, job: {image: x}}]\n");
    expect((await lint(["pb.yaml"], scratch)).code).toBe(0);
  });

  it("refuses bad usage with exit code 2", async () => {
    expect((await lint([])).code).toBe(2);
    expect((await lint(["-o", "xml", "config/samples"])).code).toBe(2);
    const missing = await lint(["no/such/dir"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("lint: no/such/dir: no such file or directory\n");
  });

  it("prints its help with --help", async () => {
    const run = await lint(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: kubectl soar lint");
    expect(run.stdout).toContain("Every validation rule of Playbook, Incident, Connector is evaluated.");
  });
});
