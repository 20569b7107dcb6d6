import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "./cli-errors.ts";

/** The `--help`/`-h` flag every command takes. */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const satisfies ParseArgsOptionsConfig;

function isParseArgsError(error: unknown): boolean {
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * Parses a command's arguments against `options`, flags anywhere among the positionals as with
 * kubectl (`--` ends the flags); an unknown flag, a missing value or a value given to a boolean
 * flag throws a {@link UsageError} naming it.
 */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error: unknown) {
    if (isParseArgsError(error)) throw new UsageError((error as Error).message);
    throw error;
  }
}
