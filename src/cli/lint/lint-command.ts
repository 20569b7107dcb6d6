import path from "node:path";
import { parseArgs } from "node:util";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import { KINDS, rootSchema } from "../../api/v1alpha1/schema/index.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { lintDocument } from "./lint-document.ts";
import { manifestFiles, readManifest, type ManifestFile } from "./lint-files.ts";
import { counted, formatFinding, LINT_OUTPUTS, type FileFinding, type LintOutput } from "./lint-report.ts";
import { unevaluatedRules } from "./schema-validation/validation-rules.ts";
import { readDocuments } from "./source-documents.ts";

/** Exit code of a run that found errors. */
export const LINT_FAILED = 1;

/** Exit code of a run that could not lint what it was given (bad flags, a missing file). */
export const LINT_USAGE = 2;

/** Which CRD validation rules lint leaves to the API server, derived from the schemas. */
function unevaluatedRulesText(): string {
  const rules = KINDS.flatMap((kind) => unevaluatedRules(rootSchema(kind)).map((rule) => `  ${kind.kind}: ${rule.rule} (${rule.reason})`));
  return rules.length === 0
    ? `Every validation rule of ${KINDS.map((kind) => kind.kind).join(", ")} is evaluated.`
    : `Not evaluated here:\n${rules.join("\n")}`;
}

const USAGE = `Usage: kubectl soar lint [-o text|github] FILE|DIR...

Checks Playbooks, Connectors and every other kind of ${API_VERSION} offline,
without a cluster:
  - against the schema of its CRD, as the API server does on kubectl apply: types, required
    fields, enums, patterns, lengths and counts, ranges, unknown fields (kubectl's strict field
    validation) and the CRD's CEL validation rules (x-kubernetes-validations);
  - Playbooks with the operator's own compiler: CEL in trigger.when, dedup.key and each step's
    when, \${{ }} templates, durations, the step graph (unknown needs, cycles, duplicate names);
  - Connectors with the checks the operator makes before each call (URL, headers, auth).
Warnings (such as a \${{ }} value inside an sh -c script, which the shell runs as code) are
printed but do not fail the run.

A directory is read recursively for .yaml, .yml and .json files (hidden directories are left
out); a file may hold several documents. Documents of other API groups are ignored.

Each finding is printed as FILE:LINE:COL: FIELD: MESSAGE (warnings with "warning: " before the
field); the messages of schema findings are those of the API server.

Options:
  -o, --output text|github  text (default), or GitHub Actions workflow commands
                            (::error file=...,line=...,col=...::...) shown as annotations
  -h, --help                this help

What lint cannot know offline: whether referenced Connectors, ServiceAccounts and Secrets exist,
and what the tenancy admission policies decide about the writer. Its CEL expression limits are
the operator's defaults. Objects are checked as new: validation rules that compare with the
stored object (oldSelf) apply to updates only. A validation rule that calls a function of the
Kubernetes CEL libraries (url, quantity, ip, cidr, format, semver, the list and regex
extensions) is not evaluated offline: lint names each such rule in a note.
${unevaluatedRulesText()}

Exit status: 0 when nothing is wrong (warnings allowed), ${LINT_FAILED} when any error was found, ${LINT_USAGE} on a
usage error or a path that cannot be read.`;

interface LintOptions {
  readonly output: LintOutput;
  readonly paths: readonly string[];
}

/** The options, `help`, or a usage error. */
type ParsedOptions = { readonly kind: "options"; readonly options: LintOptions } | { readonly kind: "help" } | { readonly kind: "error"; readonly message: string };

function parseOptions(args: readonly string[]): ParsedOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { output: { type: "string", short: "o", default: "text" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error: unknown) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (parsed.values.help === true) return { kind: "help" };
  const output = parsed.values.output;
  if (!(LINT_OUTPUTS as readonly string[]).includes(output)) {
    return { kind: "error", message: `--output must be one of ${LINT_OUTPUTS.join(", ")}, not ${JSON.stringify(output)}` };
  }
  if (parsed.positionals.length === 0) return { kind: "error", message: "name at least one FILE or DIR to lint" };
  return { kind: "options", options: { output: output as LintOutput, paths: parsed.positionals } };
}

/** The name a file is reported under: relative to the working directory when inside it. */
function reportedName(file: ManifestFile, cwd: string): string {
  const relative = path.relative(cwd, file.absolute);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file.name;
}

async function lintFiles(files: readonly ManifestFile[], io: CliIO, output: LintOutput): Promise<number> {
  const context = { expressions: createExpressionCompiler() };
  const notes = new Map<string, string>();
  let objects = 0;
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const name = reportedName(file, io.cwd);
    const json = path.extname(file.absolute).toLowerCase() === ".json";
    for (const document of readDocuments(await readManifest(file), json)) {
      const result = lintDocument(document, context);
      if (result.kind !== undefined) objects += 1;
      for (const finding of result.findings) {
        const located: FileFinding = { ...finding, file: name };
        io.stdout(`${formatFinding(located, output)}\n`);
        if (finding.severity === "error") errors += 1;
        else warnings += 1;
      }
      for (const skipped of result.skipped) {
        notes.set(`${result.kind ?? ""}\u0000${skipped.rule}`, `note: a ${result.kind ?? ""} validation rule was not checked offline (${skipped.reason}): ${skipped.rule}`);
      }
    }
  }
  for (const note of notes.values()) io.stderr(`${note}\n`);
  io.stderr(`lint: ${counted(objects, "object")} in ${counted(files.length, "file")}: ${counted(errors, "error")}, ${counted(warnings, "warning")}\n`);
  return errors > 0 ? LINT_FAILED : 0;
}

/**
 * `kubectl soar lint FILE|DIR...`: offline validation of kube-soar objects by the CRD schemas
 * and the operator's own checks (see the usage). Exits 0 with only warnings, 1 on any error,
 * 2 on a usage error.
 */
export const lintCommand: CliCommand = {
  name: "lint",
  summary: `Check Playbooks, Connectors and other ${API_VERSION} objects offline (schema, CEL, templates, step graph)`,
  usage: USAGE,
  async run(args, io) {
    const parsed = parseOptions(args);
    if (parsed.kind === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (parsed.kind === "error") {
      io.stderr(`lint: ${parsed.message}\nRun 'kubectl soar lint --help' for usage.\n`);
      return LINT_USAGE;
    }
    const files = await manifestFiles(parsed.options.paths, io.cwd);
    if (!files.ok) {
      io.stderr(`lint: ${files.message}\n`);
      return LINT_USAGE;
    }
    return await lintFiles(files.files, io, parsed.options.output);
  },
};
