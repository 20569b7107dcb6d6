import type { JobStep, PlaybookStep } from "../api/v1alpha1/types.generated.ts";
import { isShellQuoteCall, parseTemplate, shellQuoteName } from "../expr/index.ts";
import type { PlaybookWarning } from "./compiled-playbook.ts";
import { PlaybookWarningReason } from "./reasons.ts";

/** Programs that read their `-c` operand as a shell script. */
const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh"]);

/** Programs that run their first operand: `env sh -c ...`. */
const LAUNCHERS: ReadonlySet<string> = new Set(["env"]);

/** Longest expression quoted in a warning; longer ones are cut. */
const MAX_QUOTED_EXPRESSION = 120;

/** One argument of the container's command line and the field it comes from. */
interface Argument {
  readonly field: string;
  readonly text: string;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * The command line of a Job step: `command` then `args`. Without `command` the image's
 * entrypoint comes first, and it is unknown; `args` alone is read as a command line (images
 * such as busybox and alpine have no entrypoint, so `args: [sh, -c, ...]` runs a shell).
 */
function commandLine(job: JobStep, field: string): Argument[] {
  const command = (job.command ?? []).map((text, index) => ({ field: `${field}.command[${index}]`, text }));
  const args = (job.args ?? []).map((text, index) => ({ field: `${field}.args[${index}]`, text }));
  return [...command, ...args];
}

/** Whether a shell option word includes `c` (`-c`, `-ec`, `-xc`, `-euxc`). */
function hasCommandFlag(word: string): boolean {
  return /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word);
}

/**
 * The argument a shell runs as its script, when `argv` runs a shell with `-c`: the shell is the
 * first word (or follows `env`), its options come next (`-o name` and `+o name` take a value,
 * `--` ends them, long options such as `--norc` are skipped), and the script is the first
 * operand after them.
 */
function shellScriptArgument(argv: readonly Argument[]): Argument | undefined {
  let position = 0;
  const first = argv[0];
  if (first !== undefined && LAUNCHERS.has(basename(first.text))) position = 1;
  const program = argv[position];
  if (program === undefined || !SHELLS.has(basename(program.text))) return undefined;
  let command = false;
  for (position += 1; position < argv.length; position++) {
    const word = argv[position]?.text ?? "";
    if (word === "--") {
      position += 1;
      break;
    }
    if (word === "-o" || word === "+o") position += 1;
    else if (hasCommandFlag(word)) command = true;
    else if (!/^[-+]/.test(word)) break;
  }
  return command ? argv[position] : undefined;
}

/** Where a shell's reading of a script is at the end of some literal text: in which quotes. */
type QuoteState = "none" | "single" | "double";

function quoteStateAfter(state: QuoteState, text: string): QuoteState {
  let current = state;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (current === "single") {
      if (char === "'") current = "none";
    } else if (char === "\\") index += 1;
    else if (char === '"') current = current === "double" ? "none" : "double";
    else if (char === "'" && current === "none") current = "single";
  }
  return current;
}

function expressionText(source: string): string {
  const trimmed = source.trim();
  return trimmed.length > MAX_QUOTED_EXPRESSION ? `${trimmed.slice(0, MAX_QUOTED_EXPRESSION)}…` : trimmed;
}

function quoted(source: string): string {
  return `\${{ ${expressionText(source)} }}`;
}

/**
 * The warnings about one shell script template: every `${{ }}` that is not one whole
 * `shellQuote(...)` call runs its value as shell code, and a `shellQuote(...)` inside the
 * script's own quotes is unquoted by them. A template that does not parse gives none (the
 * compiler reports it).
 */
function scriptTemplateWarnings(script: Argument): PlaybookWarning[] {
  const syntax = parseTemplate(script.text);
  if (!syntax.ok) return [];
  const warnings: PlaybookWarning[] = [];
  let state: QuoteState = "none";
  for (const part of syntax.parts) {
    if (part.kind === "text") {
      state = quoteStateAfter(state, part.text);
      continue;
    }
    if (!isShellQuoteCall(part.source)) {
      warnings.push({
        field: script.field,
        reason: PlaybookWarningReason.TemplateInShellScript,
        message: `${quoted(part.source)} inside a shell script is run as shell code; use \${{ ${shellQuoteName}(${expressionText(part.source)}) }} or pass the value as an argument or environment variable`,
      });
    } else if (state !== "none") {
      warnings.push({
        field: script.field,
        reason: PlaybookWarningReason.TemplateInShellScript,
        message: `${quoted(part.source)} stands inside ${state === "single" ? "single" : "double"} quotes of the shell script, which undo its quoting; write it outside quotes`,
      });
    }
  }
  return warnings;
}

/**
 * Warnings about `${{ }}` templates in the shell scripts of a Playbook's Job steps, each with
 * the field path of the script (`spec.steps[2].job.args[1]`). A Job step runs a shell script
 * when its command line (see {@link shellScriptArgument}) is `sh -c <script>` or another POSIX
 * shell with `-c` among its options. Pure and independent of the cluster, so an offline lint
 * can run it on a Playbook file; the Playbook stays usable (these are not compile errors).
 */
export function shellTemplateWarnings(steps: readonly PlaybookStep[]): PlaybookWarning[] {
  const warnings: PlaybookWarning[] = [];
  steps.forEach((step, index) => {
    if (step.job === undefined) return;
    const script = shellScriptArgument(commandLine(step.job, `spec.steps[${index}].job`));
    if (script !== undefined) warnings.push(...scriptTemplateWarnings(script));
  });
  return warnings;
}
