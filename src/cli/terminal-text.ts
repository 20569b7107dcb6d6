/** C0 and C1 controls (ANSI escapes included) and bidirectional formatting characters. */
function unprintable(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/**
 * `text` with control and bidi characters shown as `\uXXXX` escapes (alert text is
 * attacker-controlled and must not rewrite the user's terminal), cut to `max` characters.
 */
export function printable(text: string, max = 200): string {
  let escaped = "";
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    escaped += unprintable(code) ? `\\u${code.toString(16).padStart(4, "0")}` : character;
  }
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}
