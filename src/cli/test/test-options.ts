import { parseArgs } from "node:util";
import { EVENT_FORMATS, type EventFormat } from "./event-input.ts";

/** How the report is printed. */
export const TEST_OUTPUTS = ["text", "json", "yaml"] as const;

/** One of {@link TEST_OUTPUTS}. */
export type TestOutput = (typeof TEST_OUTPUTS)[number];

/** The options of one `kubectl soar test`. */
export interface TestOptions {
  readonly playbookFile: string;
  readonly eventFile: string;
  readonly format: EventFormat;
  readonly expectFile: string | undefined;
  readonly configFile: string | undefined;
  readonly outputsFile: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly now: Date;
  /** Undefined when not given: text, or nothing but the comparison with `--expect`. */
  readonly output: TestOutput | undefined;
}

/** The options, `help`, or a usage error. */
export type ParsedTestOptions = { readonly kind: "options"; readonly options: TestOptions } | { readonly kind: "help" } | { readonly kind: "error"; readonly message: string };

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function notOneOf(flag: string, values: readonly string[], value: string): ParsedTestOptions {
  return { kind: "error", message: `${flag} must be one of ${values.join(", ")}, not ${JSON.stringify(value)}` };
}

/** Parses the arguments after `test`; `now` is the time used when `--now` is not given. */
export function parseTestOptions(args: readonly string[], now: Date): ParsedTestOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        event: { type: "string", short: "e" },
        format: { type: "string", default: "auto" },
        expect: { type: "string" },
        config: { type: "string" },
        outputs: { type: "string" },
        namespace: { type: "string", short: "n" },
        name: { type: "string" },
        now: { type: "string" },
        output: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error: unknown) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: "help" };
  const [playbookFile, ...extra] = positionals;
  if (playbookFile === undefined) return { kind: "error", message: "name the PLAYBOOK file to test" };
  if (extra.length > 0) return { kind: "error", message: `one PLAYBOOK file at a time, not also ${extra.join(" ")}` };
  if (values.event === undefined) return { kind: "error", message: "--event ALERT.json is required" };
  const { format, output } = values;
  if (!isOneOf(EVENT_FORMATS, format)) return notOneOf("--format", EVENT_FORMATS, format);
  if (output !== undefined && !isOneOf(TEST_OUTPUTS, output)) return notOneOf("--output", TEST_OUTPUTS, output);
  const at = values.now === undefined ? now : new Date(values.now);
  if (Number.isNaN(at.getTime())) return { kind: "error", message: `--now must be an RFC 3339 time such as 2026-01-02T03:04:05Z, not ${JSON.stringify(values.now)}` };
  return {
    kind: "options",
    options: {
      playbookFile,
      eventFile: values.event,
      format,
      expectFile: values.expect,
      configFile: values.config,
      outputsFile: values.outputs,
      namespace: values.namespace,
      name: values.name,
      now: at,
      output,
    },
  };
}
