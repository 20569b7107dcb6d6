import type { Finding } from "./lint-document.ts";

/** How findings are printed. */
export const LINT_OUTPUTS = ["text", "github"] as const;

/** One of {@link LINT_OUTPUTS}. */
export type LintOutput = (typeof LINT_OUTPUTS)[number];

/** A finding with the file it was found in. */
export interface FileFinding extends Finding {
  readonly file: string;
}

function subject(finding: Finding): string {
  return finding.field === "" ? finding.message : `${finding.field}: ${finding.message}`;
}

/** GitHub's escaping of a workflow command's message. */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** GitHub's escaping of a workflow command's property value. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/**
 * One line per finding: `file:line:col: field: message` for an error, with `warning: ` after
 * the position for a warning; with `github`, a workflow command (`::error file=…,line=…,col=…::`)
 * that GitHub Actions shows as an annotation on the line.
 */
export function formatFinding(finding: FileFinding, output: LintOutput): string {
  const { file, position } = finding;
  if (output === "github") {
    return `::${finding.severity} file=${escapeProperty(file)},line=${position.line},col=${position.col}::${escapeData(subject(finding))}`;
  }
  const label = finding.severity === "warning" ? "warning: " : "";
  return `${file}:${position.line}:${position.col}: ${label}${subject(finding).replaceAll("\n", " ")}`;
}

/** `1 error`, `2 warnings`. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
