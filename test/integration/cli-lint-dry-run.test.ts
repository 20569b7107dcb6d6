// kubectl soar lint predicts kubectl apply: the same documents are refused, with the same
// messages, by the offline schema validation and by the API server in a server-side dry run.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KINDS } from "../../src/api/v1alpha1/schema/index.ts";
import type { CliIO } from "../../src/cli/command.ts";
import { lintCommand } from "../../src/cli/lint/lint-command.ts";
import { formatPath } from "../../src/cli/lint/field-path.ts";
import { RULES_NOT_CHECKED } from "../../src/cli/lint/schema-validation/api-server-messages.ts";
import { validateObject } from "../../src/cli/lint/schema-validation/validate-object.ts";
import { readDocuments } from "../../src/cli/lint/source-documents.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = path.join(REPO_ROOT, "test/fixtures/lint");

let namespace = "";
let scratch = "";

beforeAll(async () => {
  const kubeConfig = loadKubeConfig();
  await ensureCrds(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "cli-lint");
  scratch = await mkdtemp(path.join(tmpdir(), "cli-lint-"));
});

afterAll(async () => {
  if (scratch !== "") await rm(scratch, { recursive: true, force: true });
});

/** What the API server answered to `kubectl apply --dry-run=server` (strict field validation, kubectl's default). */
interface ServerVerdict {
  readonly refused: boolean;
  /** Each refusal as `field: message`; `<nil>: ...` for the ones without a field. */
  readonly lines: readonly string[];
  /** Whether the refusal is kubectl's strict decoding of unknown fields, which stops before validation. */
  readonly strictDecoding: boolean;
}

async function serverVerdict(file: string): Promise<ServerVerdict> {
  const kubectl = path.join(inject("binDir"), "kubectl");
  try {
    await promisify(execFile)(kubectl, ["--kubeconfig", inject("kubeconfig"), "apply", "--dry-run=server", "-n", namespace, "-f", file]);
    return { refused: false, lines: [], strictDecoding: false };
  } catch (error: unknown) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    const strict = /strict decoding error: (.*)$/m.exec(stderr);
    if (strict?.[1] !== undefined) {
      const fields = [...strict[1].matchAll(/unknown field "([^"]+)"/g)].map((match) => match[1] ?? "");
      return { refused: true, lines: fields.map((field) => `${field}: unknown field "${field}"`), strictDecoding: true };
    }
    const listed = [...stderr.matchAll(/^\* (.*)$/gm)].map((match) => match[1] ?? "");
    const single = /is invalid: (.+)$/m.exec(stderr)?.[1];
    const lines = listed.length > 0 ? listed : single === undefined ? [stderr.trim()] : [single];
    return { refused: true, lines, strictDecoding: false };
  }
}

/** The offline schema validation of the one document of `text`, as `field: message` lines. */
function offlineLines(text: string): string[] {
  const [document] = readDocuments(text, false);
  if (document?.ok !== true) throw new Error("the case is not one readable document");
  const object = document.value as Record<string, unknown>;
  const kind = KINDS.find((candidate) => candidate.kind === object["kind"]);
  if (kind === undefined) throw new Error(`no kind ${String(object["kind"])}`);
  return validateObject(kind, object).violations.map((violation) =>
    violation.message === RULES_NOT_CHECKED ? `<nil>: Invalid value: null: ${RULES_NOT_CHECKED}` : `${formatPath(violation.path)}: ${violation.message}`,
  );
}

async function lintExit(file: string): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const io: CliIO = { stdout: (text) => { stdout += text; }, stderr: () => undefined, env: {}, cwd: REPO_ROOT };
  return { code: await lintCommand.run([file], io), stdout };
}

function fieldOf(line: string): string {
  return line.slice(0, line.indexOf(": "));
}

const playbook = (spec: string, name = "a"): string => `apiVersion: soar.kube-soar.io/v1alpha1\nkind: Playbook\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const connector = (spec: string, name = "a"): string => `apiVersion: soar.kube-soar.io/v1alpha1\nkind: Connector\nmetadata: {name: ${name}}\nspec:\n${spec}`;

/** Documents the schema refuses: one or more of each kind of schema error. */
const INLINE_INVALID: Readonly<Record<string, string>> = {
  bounds: playbook(`  description: "${"x".repeat(1030)}"\n  trigger: {types: [x]}\n  maxActiveIncidents: 0\n  dedup: {window: "1 hour"}\n  steps: [{name: a, job: {image: ""}}]`),
  enums: playbook("  trigger: {types: [x], minSeverity: huge}\n  steps: [{name: a, action: {type: nuke}}]"),
  required: playbook("  steps: [{job: {image: x}}]"),
  rules: playbook("  trigger: {}\n  steps: [{name: a, job: {image: x}, notify: {connector: c, message: m}}, {name: a, needs: [a, zz], action: {type: cordonNode, target: {kind: Pod}}}]"),
  unknownFields: playbook("  trigger: {types: [x]}\n  foo: 1\n  steps: [{name: a, job: {image: x, bar: 2}}]"),
  connectorRules: connector('  type: http\n  url: http://x.example\n  headers: {"bad header": v}'),
  counts: connector(`  type: http\n  url: https://x.example\n  successCodes: [${Array.from({ length: 17 }, () => "200").join(",")}]\n  retries: {limit: 11}`),
  metadataName: connector("  type: pagerduty", "Bad_Name"),
  nameLength: playbook("  trigger: {types: [x]}\n  steps: [{name: a, job: {image: x}}]", "a".repeat(64)),
  nullItem: playbook("  trigger: {types: [x]}\n  description: null\n  steps: [{name: a, job: {image: x, args: [null]}}]"),
  intOrString: playbook("  trigger: {types: [x]}\n  steps: [{name: a, job: {image: x, resources: {limits: {cpu: 1.5, memory: \"12 G\"}}}}]"),
  mutuallyExclusive: playbook("  trigger: {types: [x]}\n  steps: [{name: a, job: {image: x, env: [{name: X, value: a, valueFrom: {secretKeyRef: {name: s, key: k}}}]}}]"),
  nodeNamespace: playbook("  trigger: {types: [x]}\n  steps: [{name: a, action: {type: cordonNode, target: {kind: Node, namespace: n}}}]"),
  incident: 'apiVersion: soar.kube-soar.io/v1alpha1\nkind: Incident\nmetadata: {name: a}\nspec: {severity: severe, source: {kind: falco}, approvals: [{step: s, decision: maybe}]}',
  authHeader: connector("  type: http\n  url: https://x.example\n  auth: {type: hmac, secretRef: {name: s, key: k}}"),
};

/** Fixtures of test/fixtures/lint that break the schema (the rest break only the operator's checks). */
const SCHEMA_FIXTURES = [
  "schema-type.yaml",
  "schema-required.yaml",
  "schema-enum.yaml",
  "schema-duration-pattern.yaml",
  "schema-unknown-field.yaml",
  "schema-validation-rule.yaml",
  "step-graph-unknown-needs.yaml",
  "step-graph-duplicate-names.yaml",
];

/** Fixtures the API server accepts and the operator would not: lint refuses them for the compiler's reasons. */
const COMPILER_FIXTURES = ["cel-syntax-when.yaml", "cel-unknown-function.yaml", "template-unknown-variable.yaml", "step-graph-cycle.yaml", "compile-duration.yaml"];

async function schemaCases(): Promise<{ name: string; text: string }[]> {
  const fixtures = await Promise.all(SCHEMA_FIXTURES.map(async (name) => ({ name, text: await readFile(path.join(FIXTURES, name), "utf8") })));
  return [...Object.entries(INLINE_INVALID).map(([name, text]) => ({ name, text })), ...fixtures];
}

describe("lint and a server-side dry run refuse the same documents", () => {
  it("refuses each schema-invalid document with the API server's messages", async () => {
    for (const { name, text } of await schemaCases()) {
      const file = path.join(scratch, `${name}.yaml`);
      await writeFile(file, text);
      const [server, offline, lint] = await Promise.all([serverVerdict(file), Promise.resolve(offlineLines(text)), lintExit(file)]);
      const context = `${name}\nserver: ${server.lines.join("\n        ")}\nlint:   ${offline.join("\n        ")}`;
      expect(server.refused, context).toBe(true);
      expect(lint.code, context).toBe(1);
      if (server.strictDecoding) {
        // kubectl stops at unknown fields before validating, so those are all it reports.
        expect(offline.filter((line) => line.includes(": unknown field ")), context).toEqual(server.lines);
        continue;
      }
      for (const line of offline) expect(server.lines, context).toContain(line);
      const offlineFields = new Set(offline.map(fieldOf));
      for (const line of server.lines) if (!line.startsWith("<nil>")) expect(offlineFields, context).toContain(fieldOf(line));
    }
  });

  it("accepts what the API server accepts: every sample", async () => {
    const samples = path.join(REPO_ROOT, "config/samples");
    for (const name of ["connector-slack.yaml", "playbook-crash-loop.yaml", "playbook-crypto-miner.yaml", "playbook-terminal-shell.yaml", "incident.yaml"]) {
      const file = path.join(samples, name);
      const server = await serverVerdict(file);
      expect(server, name).toEqual({ refused: false, lines: [], strictDecoding: false });
      expect((await lintExit(file)).code, name).toBe(0);
    }
  });

  it("goes further than the API server for Playbooks: what only the operator's compiler refuses", async () => {
    for (const name of COMPILER_FIXTURES) {
      const file = path.join(FIXTURES, name);
      const text = await readFile(file, "utf8");
      expect((await serverVerdict(file)).refused, name).toBe(false);
      expect(offlineLines(text), name).toEqual([]);
      const lint = await lintExit(file);
      expect(lint.code, name).toBe(1);
      expect(lint.stdout, name).not.toBe("");
    }
  });
});
