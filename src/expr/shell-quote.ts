import { CelScalar, celFunc, parse, type CelFunc } from "@bufbuild/cel";
import { defaultExpressionLimits } from "./limits.ts";

/** Name of the template function that quotes a string for a POSIX shell. */
export const shellQuoteName = "shellQuote";

/**
 * `text` as one POSIX shell word that stands for exactly `text`: wrapped in single quotes, each
 * `'` written as `'\''`. Any string is safe, including the empty string, newlines, `$`,
 * backquotes, backslashes and control characters: inside single quotes a POSIX shell expands
 * nothing.
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `shellQuote(string) → string` for CEL, so a template can write `${{ shellQuote(incident.title) }}`. */
export const shellQuoteFunction: CelFunc = celFunc(shellQuoteName, [CelScalar.STRING], CelScalar.STRING, shellQuote);

/**
 * Whether the expression `source` is, as a whole, one call of `shellQuote` (so its value is one
 * shell word). False for anything else, including sources that do not parse or exceed the
 * default size limit. Never throws.
 */
export function isShellQuoteCall(source: string): boolean {
  if (source.length > defaultExpressionLimits.maxSourceBytes) return false;
  try {
    const kind = parse(source).expr.exprKind;
    return kind.case === "callExpr" && kind.value.function === shellQuoteName && kind.value.target === undefined;
  } catch {
    return false;
  }
}
