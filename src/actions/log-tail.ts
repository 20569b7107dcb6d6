import { boundTextTail } from "../api/v1alpha1/bounds.ts";
import { redactSecrets } from "../redaction/free-text.ts";

/** The bounded tail of a log. */
export interface LogTail {
  readonly text: string;
  /** Lines in `text` (a partial first line counts). */
  readonly lines: number;
  /** True when lines or characters were dropped from the start. */
  readonly truncated: boolean;
}

// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ansiEscape = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The last `maxLines` lines of `log`, then at most its last `maxChars` characters. Terminal
 * escape sequences are removed, carriage returns dropped and other control characters (NUL
 * included) replaced by U+FFFD, so the result is plain text whatever the container printed.
 * Credentials are redacted (`redactSecrets`) before the tail is cut, so a cut never separates
 * a secret from the name or header that marks it.
 */
export function tailLog(log: string, limits: { maxLines: number; maxChars: number }): LogTail {
  const cleaned = redactSecrets(log.replace(ansiEscape, "").replace(/\r/g, "").replace(controlCharacter, "\uFFFD"));
  const body = cleaned.endsWith("\n") ? cleaned.slice(0, -1) : cleaned;
  if (body === "") return { text: "", lines: 0, truncated: false };
  const allLines = body.split("\n");
  const kept = allLines.slice(Math.max(0, allLines.length - limits.maxLines));
  const joined = kept.join("\n");
  const text = boundTextTail(joined, limits.maxChars);
  return {
    text,
    lines: text.split("\n").length,
    truncated: kept.length < allLines.length || text !== joined,
  };
}
