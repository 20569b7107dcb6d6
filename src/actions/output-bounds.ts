/** Most outputs one step may record (the Incident schema's bound). */
export const MAX_OUTPUTS = 16;

/** Longest output value, in characters (Unicode code points, as the API server counts). */
export const MAX_OUTPUT_CHARS = 2048;

/** Longest step message, in characters. */
export const MAX_MESSAGE_CHARS = 1024;

const ellipsis = "…";

/**
 * `text` cut to at most `maxChars` code points, never inside a surrogate pair; a cut text ends
 * with `…` (counted in the bound).
 */
export function boundText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= maxChars) return text;
  return codePoints.slice(0, Math.max(0, maxChars - 1)).join("") + ellipsis;
}

/**
 * The last `maxChars` code points of `text`, never starting inside a surrogate pair; a cut text
 * starts with `…` (counted in the bound). For logs, whose end matters most.
 */
export function boundTextTail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= maxChars) return text;
  return ellipsis + codePoints.slice(codePoints.length - Math.max(0, maxChars - 1)).join("");
}
