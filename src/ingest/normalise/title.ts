/** The longest title, in UTF-16 code units (and so in Unicode code points too). */
export const MAX_TITLE_LENGTH = 256;

/**
 * Controls (C0, C1), format characters that reorder or hide text (bidi embeddings, overrides
 * and isolates, zero-width characters, the byte-order mark) and unpaired surrogates.
 */
const UNSAFE_IN_TITLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const WHITESPACE_RUN = /\s+/gu;

/**
 * Makes a display title from hostile text: unsafe characters removed, whitespace runs
 * collapsed to one space, trimmed, cut to `MAX_TITLE_LENGTH` without splitting a surrogate
 * pair (an ellipsis marks the cut). Returns `fallback` (itself sanitised) when nothing is left.
 */
export function sanitiseTitle(text: string, fallback = "alert"): string {
  const clean = text.replace(WHITESPACE_RUN, " ").replace(UNSAFE_IN_TITLE, "").replace(WHITESPACE_RUN, " ").trim();
  if (clean === "") return fallback === "alert" ? fallback : sanitiseTitle(fallback);
  if (clean.length <= MAX_TITLE_LENGTH) return clean;
  let cut = MAX_TITLE_LENGTH - 1;
  const last = clean.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${clean.slice(0, cut).trimEnd()}…`;
}
