import { boundText, CUT_MARKER, fitsLength, MAX_TITLE_LENGTH } from "../../api/v1alpha1/bounds.ts";

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
  if (fitsLength(clean, MAX_TITLE_LENGTH)) return clean;
  return `${boundText(clean, MAX_TITLE_LENGTH - 1, "").trimEnd()}${CUT_MARKER}`;
}
