import { parse } from "yaml";
import { ConfigError } from "../../config/flag-reader.ts";
import { settings, type Flag } from "../../config/flags.ts";
import type { OperatorOptions } from "../../config/options.ts";
import { parseOperatorOptions } from "../../config/parse.ts";
import type { AlertIntakeOptions } from "../../ingest/alert-intake.ts";
import { alertOptionsFor } from "../../ingest/intake-start.ts";
import { guardPolicyOf, type GuardPolicy } from "../../policy/index.ts";

/**
 * The operator flags that change what `test` shows, settable in its `--config` file under the
 * same names: who may act where (namespaces, protected namespaces), whether steps run (dry run,
 * pause), how alerts are decoded, bounded and redacted, and where unmatched alerts go.
 */
export const TEST_SETTING_FLAGS = [
  "namespace",
  "protected-namespaces",
  "dry-run",
  "paused",
  "default-namespace",
  "unmatched-min-severity",
  "dedup-window",
  "max-event-bytes",
  "redact-paths",
  "redact-key-patterns",
  "receiver-max-body-bytes",
  "receiver-max-json-depth",
] as const satisfies readonly Flag[];

/** What an operator with these settings decides about an alert and a run. */
export interface TestSettings {
  /** The operator's own namespace: its Playbooks see every alert and may act cluster-wide. */
  readonly namespace: string;
  readonly paused: boolean;
  readonly intake: OperatorOptions["intake"];
  readonly alerts: AlertIntakeOptions;
  readonly guardPolicy: GuardPolicy;
}

/** The settings, or what is wrong with the file, naming the key. */
export type SettingsResult = { readonly ok: true; readonly settings: TestSettings } | { readonly ok: false; readonly message: string };

function flagValue(key: string, value: unknown): string | undefined {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(",");
  return undefined;
}

/**
 * Reads a `--config` file: a YAML map from flag names (see {@link TEST_SETTING_FLAGS}) to values
 * (strings, numbers, booleans, or lists for list flags), read by the operator's own flag parser
 * with its defaults and checks; absent text gives the operator's defaults.
 */
export function readTestSettings(text: string | undefined): SettingsResult {
  let document: unknown;
  try {
    document = text === undefined ? {} : (parse(text) ?? {});
  } catch (error: unknown) {
    return { ok: false, message: `not valid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) return { ok: false, message: "must be a map of operator flag names to values" };
  const argv = ["--receiver-enabled=false"];
  for (const [key, value] of Object.entries(document)) {
    if (!(TEST_SETTING_FLAGS as readonly string[]).includes(key)) {
      return { ok: false, message: `${key}: not a setting test uses; it reads ${TEST_SETTING_FLAGS.join(", ")}` };
    }
    const flag = flagValue(key, value);
    if (flag === undefined) return { ok: false, message: `${key}: must be a string, number, boolean${settings[key as Flag].kind === "list" ? " or list of strings" : ""}` };
    argv.push(`--${key}=${flag}`);
  }
  let options: OperatorOptions;
  try {
    options = parseOperatorOptions(argv, {});
  } catch (error: unknown) {
    if (error instanceof ConfigError) return { ok: false, message: error.message.replace(/^--/, "") };
    throw error;
  }
  return {
    ok: true,
    settings: {
      namespace: options.namespace,
      paused: options.paused,
      intake: options.intake,
      alerts: alertOptionsFor(options),
      guardPolicy: guardPolicyOf({ namespace: options.namespace, protectedNamespaces: options.protectedNamespaces, dryRun: options.dryRun }),
    },
  };
}
