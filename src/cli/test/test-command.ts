import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { Kind } from "../../api/v1alpha1/constants.ts";
import type { Playbook } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { alertsFromReceiverPayload } from "../../ingest/alerts-from-payload.ts";
import { PlaybookCompiler } from "../../playbook/index.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { lintDocument } from "../lint/lint-document.ts";
import { formatFinding } from "../lint/lint-report.ts";
import { readDocuments } from "../lint/source-documents.ts";
import { eventPayload, EVENT_FORMATS } from "./event-input.ts";
import { formatDifferences, subsetDifferences } from "./expectation.ts";
import { readTestSettings, TEST_SETTING_FLAGS } from "./operator-settings.ts";
import { formatReportText } from "./report-text.ts";
import { TEST_APPROVER } from "./run-preview.ts";
import { testPlaybook, type TestReport } from "./test-report.ts";
import { parseTestOptions, TEST_OUTPUTS, type TestOptions } from "./test-options.ts";

/** Exit code of a test whose expectation does not hold, whose Playbook is invalid or whose alert intake refuses. */
export const TEST_FAILED = 1;

/** Exit code of a usage error or a file that cannot be read. */
export const TEST_USAGE = 2;

const USAGE = `Usage: kubectl soar test PLAYBOOK --event ALERT.json [--expect EXPECT.yaml] [options]

Shows offline, without a cluster, what the operator does when ALERT.json arrives and PLAYBOOK
is the Playbook: the alert as intake decodes, redacts and bounds it (Falco JSON, an Alertmanager
webhook, a CloudEvent), whether the trigger matches and why not (namespace, types, sources,
minSeverity, when), the dedup key, severity, title, observables, the Incident intake opens and
its name, and the run: each step in order with its when, its guard decision and what it asks
of the world (the Job's image, command, args and env, the action and its resolved target, the
Connector call's message or body), all computed by the operator's own code.

The run is simulated: every approval step is approved (by ${TEST_APPROVER}), and every Job,
action and Connector call succeeds, handing on the outputs given with --outputs; an output a
step reads that is not given shows as <from steps.STEP.outputs.KEY>. Nothing is created or
called, so what only the cluster can refuse is not seen: a missing Connector, ServiceAccount,
Secret or target object, an action's own checks of its parameters (a label key, a replica
count), a protected Node, a Connector destination. The Incident name is the first one of its dedup identity (an open Incident of the same
identity would take the alert instead).

With --expect, the report is compared with EXPECT.yaml, which states only what it checks: maps
compare the keys they list, lists of maps with a name are matched by name, null means absent.
Differences are printed as a diff and the exit status is ${TEST_FAILED}. Example:
  alerts:
    - trigger: {matched: true}
      dedupKey: batch/report-gen-7f9c-kq2lz
      run:
        phase: Succeeded
        steps:
          - name: isolate
            action: {type: isolatePod, target: {kind: Pod, namespace: batch, name: report-gen-7f9c-kq2lz}}

Options:
  -e, --event FILE      the alert, as its producer sends it (required)
      --format FORMAT   ${EVENT_FORMATS.join(", ")} (default auto: told from the JSON's shape)
      --expect FILE     compare the report with this expectation; print the report only with -o
      --config FILE     operator settings, a YAML map of operator flags to values; read:
                          ${TEST_SETTING_FLAGS.join(", ")}
                        (defaults: the operator's)
      --outputs FILE    step outputs, a YAML map of step name to a map of output to value
  -n, --namespace NS    the Playbook's namespace (default: its metadata.namespace, else the
                        operator's namespace, whose Playbooks see every alert)
      --name NAME       the Playbook to test when PLAYBOOK holds several
      --now TIME        the time of the test (RFC 3339; default now): when intake received the alert
  -o, --output FORMAT   ${TEST_OUTPUTS.join(", ")} (default text)
  -h, --help            this help

The PLAYBOOK is first checked as kubectl soar lint checks it; a Playbook with errors is not run.

Exit status: 0 when the test ran (and the expectation holds), ${TEST_FAILED} when the expectation does not
hold, the Playbook has errors or intake refuses the alert, ${TEST_USAGE} on a usage error or a file that
cannot be read.`;

/** A failure to report and the exit status it ends the command with. */
class TestStop extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

async function read(file: string, cwd: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path.resolve(cwd, file));
  } catch (error: unknown) {
    const reason = error instanceof Error && "code" in error && error.code === "ENOENT" ? "no such file" : String(error);
    throw new TestStop(TEST_USAGE, `${what} ${file}: ${reason}`);
  }
}

function yamlOf(text: string, file: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error: unknown) {
    throw new TestStop(TEST_USAGE, `${file}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The name of a linted Playbook document, `?` when it has none. */
function nameOf(object: Readonly<Record<string, unknown>> | undefined): string {
  const metadata = object?.["metadata"];
  const name = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>)["name"] : undefined;
  return typeof name === "string" ? name : "?";
}

/** The Playbook of the file, checked as lint checks it, as the API server would store it. */
async function loadPlaybook(options: TestOptions, io: CliIO, compiler: PlaybookCompiler, operatorNamespace: string): Promise<Playbook> {
  const file = options.playbookFile;
  const text = (await read(file, io.cwd, "PLAYBOOK")).toString("utf8");
  const context = { expressions: createExpressionCompiler() };
  const documents = readDocuments(text, path.extname(file).toLowerCase() === ".json");
  const broken = documents.find((document) => !document.ok);
  if (broken?.ok === false) {
    throw new TestStop(TEST_FAILED, `${file}:${broken.position.line}:${broken.position.col}: not valid YAML: ${broken.message}`);
  }
  const candidates = documents.map((document) => ({ document, lint: lintDocument(document, context) })).filter(({ lint }) => lint.kind === Kind.Playbook);
  const named = candidates.filter(({ lint }) => options.name === undefined || nameOf(lint.object) === options.name);
  const [chosen] = named;
  if (chosen === undefined || named.length > 1) {
    const names = candidates.map(({ lint }) => nameOf(lint.object)).join(", ");
    const count = named.length === 0 ? "no" : String(named.length);
    throw new TestStop(TEST_USAGE, `${file}: holds ${count} Playbook${options.name === undefined ? "s" : ` named ${options.name}`}${names === "" ? "" : ` (${names})`}; test takes one (--name picks it)`);
  }
  const { lint } = chosen;
  for (const finding of lint.findings) io.stderr(`${formatFinding({ ...finding, file }, "text")}\n`);
  if (lint.object === undefined || lint.findings.some((finding) => finding.severity === "error")) {
    throw new TestStop(TEST_FAILED, `${file}: the operator would not run this Playbook (see kubectl soar lint)`);
  }
  const playbook = lint.object as unknown as Playbook;
  const namespace = options.namespace ?? playbook.metadata.namespace ?? operatorNamespace;
  return { ...playbook, metadata: { ...playbook.metadata, namespace } };
}

function outputsOf(value: unknown, file: string): Record<string, Record<string, string>> {
  if (value === null || value === undefined) return {};
  const problem = `${file}: must map step names to maps of output names to values`;
  if (typeof value !== "object" || Array.isArray(value)) throw new TestStop(TEST_USAGE, problem);
  const outputs: Record<string, Record<string, string>> = {};
  for (const [step, map] of Object.entries(value)) {
    if (typeof map !== "object" || map === null || Array.isArray(map)) throw new TestStop(TEST_USAGE, `${problem}; ${step} is not a map`);
    outputs[step] = Object.fromEntries(Object.entries(map as Record<string, unknown>).map(([key, item]) => [key, typeof item === "string" ? item : JSON.stringify(item)]));
  }
  return outputs;
}

async function runTest(options: TestOptions, io: CliIO): Promise<number> {
  const configText = options.configFile === undefined ? undefined : (await read(options.configFile, io.cwd, "--config")).toString("utf8");
  const settings = readTestSettings(configText);
  if (!settings.ok) throw new TestStop(TEST_USAGE, `--config ${options.configFile ?? ""}: ${settings.message}`);
  const compiler = new PlaybookCompiler(createExpressionCompiler());
  const playbook = await loadPlaybook(options, io, compiler, settings.settings.namespace);
  const payload = eventPayload(await read(options.eventFile, io.cwd, "--event"), options.format);
  if (!payload.ok) throw new TestStop(TEST_USAGE, `--event ${options.eventFile}: ${payload.message}`);
  const alerts = alertsFromReceiverPayload(payload.payload, options.now, settings.settings.alerts);
  if (!alerts.ok) {
    throw new TestStop(TEST_FAILED, `--event ${options.eventFile}: intake refuses the ${payload.format} payload (${alerts.reason}): ${alerts.field}: ${alerts.message}`);
  }
  const outputs = options.outputsFile === undefined ? {} : outputsOf(yamlOf((await read(options.outputsFile, io.cwd, "--outputs")).toString("utf8"), options.outputsFile), options.outputsFile);
  const report = testPlaybook({ playbook, compiler, settings: settings.settings, alerts: alerts.value, now: options.now, outputs });
  if (options.expectFile === undefined || options.output !== undefined) io.stdout(`${formatted(report, options.output ?? "text")}\n`);
  if (options.expectFile === undefined) return 0;
  const expected = yamlOf((await read(options.expectFile, io.cwd, "--expect")).toString("utf8"), options.expectFile);
  const differences = subsetDifferences(expected, JSON.parse(JSON.stringify(report)) as unknown);
  if (differences.length === 0) {
    io.stderr(`test: ${options.playbookFile} with ${options.eventFile}: as expected (${options.expectFile})\n`);
    return 0;
  }
  io.stdout(`${formatDifferences(differences, options.expectFile)}\n`);
  io.stderr(`test: ${options.playbookFile} with ${options.eventFile}: ${differences.length} difference(s) from ${options.expectFile}\n`);
  return TEST_FAILED;
}

function formatted(report: TestReport, output: NonNullable<TestOptions["output"]>): string {
  switch (output) {
    case "json":
      return JSON.stringify(report, null, 2);
    case "yaml":
      return stringifyYaml(report).trimEnd();
    case "text":
      return formatReportText(report);
  }
}

/**
 * `kubectl soar test PLAYBOOK --event ALERT.json`: what the operator would do with the alert
 * and the Playbook, computed offline by the operator's own intake, matching, triage and run
 * planning (see the usage); with `--expect`, a Playbook unit test that exits 1 on a difference.
 */
export const testCommand: CliCommand = {
  name: "test",
  summary: "Show offline what a Playbook does with an alert (match, dedup key, Incident, planned steps); compare with an expectation",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseTestOptions(args, new Date());
    if (parsed.kind === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (parsed.kind === "error") {
      io.stderr(`test: ${parsed.message}\nRun 'kubectl soar test --help' for usage.\n`);
      return TEST_USAGE;
    }
    try {
      return await runTest(parsed.options, io);
    } catch (error: unknown) {
      if (!(error instanceof TestStop)) throw error;
      io.stderr(`test: ${error.message}\n`);
      return error.code;
    }
  },
};
