import { boundText } from "../api/v1alpha1/bounds.ts";

/** Longest error message kept; the rest is cut, since messages may quote alert data. */
export const maxMessageLength = 300;

/**
 * Control characters, and the bidirectional formatting characters that could reorder a message
 * when a human reads it in a terminal or a UI.
 */
function isUnsafe(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * A message safe to store in status, Events and logs: unsafe characters escaped as `\uXXXX`
 * and the length bounded, because engine messages can embed attacker-controlled values.
 */
export function safeMessage(message: string): string {
  let escaped = "";
  let codePoints = 0;
  for (const char of message) {
    const code = char.charCodeAt(0);
    const safe = isUnsafe(code) ? `\\u${code.toString(16).padStart(4, "0")}` : char;
    escaped += safe;
    codePoints += safe === char ? 1 : safe.length;
    if (codePoints > maxMessageLength) break;
  }
  return boundText(escaped, maxMessageLength);
}
