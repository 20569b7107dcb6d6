const MAX_DISPLAY_CHARS = 96;

/**
 * Renders attacker-controlled text (a header name, a JSON key, a rejected value) so that it can
 * sit inside a rejection message or field: printable ASCII is kept, every other UTF-16 unit is
 * written as `\uXXXX`, and the result is cut at a bounded length with an ellipsis. The output
 * never contains control, bidi or non-ASCII characters.
 */
export function displayText(text: string, maxChars: number = MAX_DISPLAY_CHARS): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (out.length >= maxChars) return `${out}...`;
    const code = text.charCodeAt(i);
    out += code >= 0x20 && code < 0x7f ? text.charAt(i) : `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return out;
}

/** `displayText` in double quotes, for naming a value inside a sentence. */
export function quoted(text: string, maxChars?: number): string {
  return `"${displayText(text, maxChars)}"`;
}
