import type { IntakeOptions } from "../../config/options.ts";
import { DEFAULT_REDACTION_POLICY, type RedactionPolicy } from "./redaction.ts";

/** A redaction option that cannot be used; the message names the option and the entry. */
export class RedactionSettingsError extends Error {
  override readonly name = "RedactionSettingsError";
}

function escapePointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * A configured path as a JSON Pointer into the event data: a path starting with `/` is taken as
 * a JSON Pointer already (needed for keys containing dots, such as Falco's `k8s.ns.name`),
 * anything else is split on dots (`output_fields.password` → `/output_fields/password`); `*`
 * matches any key or index.
 */
export function redactPathPointer(path: string): string {
  if (path.startsWith("/")) return path;
  return `/${path.split(".").map(escapePointerSegment).join("/")}`;
}

/**
 * The redaction policy of the operator: the built-in key patterns plus the configured
 * extra paths and key patterns (case-insensitive regular expressions).
 * @throws RedactionSettingsError naming the entry when a path is empty or a pattern does not compile.
 */
export function redactionPolicyFor(options: Pick<IntakeOptions, "redactPaths" | "redactKeyPatterns">): RedactionPolicy {
  const paths = options.redactPaths.map((path, index) => {
    if (path.trim() === "") throw new RedactionSettingsError(`intake.redactPaths[${String(index)}]: must not be empty`);
    return redactPathPointer(path.trim());
  });
  const keyPatterns = options.redactKeyPatterns.map((source, index) => {
    try {
      return new RegExp(source, "i");
    } catch (error: unknown) {
      throw new RedactionSettingsError(
        `intake.redactKeyPatterns[${String(index)}]: ${JSON.stringify(source)} is not a regular expression (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  });
  return {
    keyPatterns: [...DEFAULT_REDACTION_POLICY.keyPatterns, ...keyPatterns],
    paths: [...DEFAULT_REDACTION_POLICY.paths, ...paths],
  };
}
