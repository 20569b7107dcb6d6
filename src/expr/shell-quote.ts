import { CelScalar, celFunc, type CelFunc } from "@bufbuild/cel";

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
