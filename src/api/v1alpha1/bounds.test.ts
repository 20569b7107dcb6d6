import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundText, boundTextTail, CUT_MARKER, fitsLength } from "./bounds.ts";

/** Whether `text` holds a high surrogate not followed by a low one, or a low one not preceded by a high one. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const codePointCount = (text: string): number => Array.from(text).length;

/** Text mixing ASCII, BMP and astral characters (emoji, CJK extension B), with well-formed surrogate pairs. */
const mixedText = fc.string({ unit: fc.oneof(fc.constantFrom("a", " ", "é", "€"), fc.constantFrom("😀", "𝄞", "𠀀"), fc.string({ unit: "grapheme", maxLength: 1 })), maxLength: 60 });
const bound = fc.integer({ min: 1, max: 40 });

describe("boundText", () => {
  it.each([
    ["short", 10, "short", "short"],
    ["abcdefghij", 5, "abcd…", "…ghij"],
    ["😀😀😀😀", 3, "😀😀…", "…😀😀"],
    ["abc", 3, "abc", "abc"],
  ])("%j bounded to %d", (text, max, head, tail) => {
    expect(boundText(text, max)).toBe(head);
    expect(boundTextTail(text, max)).toBe(tail);
    expect(Array.from(boundText(text, max)).length).toBeLessThanOrEqual(max);
  });

  it("cuts without a marker when given an empty one", () => {
    expect(boundText("a😀b😀c", 3, "")).toBe("a😀b");
  });

  it("never leaves a lone surrogate, stays within the bound and keeps a prefix", () => {
    fc.assert(
      fc.property(mixedText, bound, (text, max) => {
        const cut = boundText(text, max);
        expect(hasLoneSurrogate(cut)).toBe(false);
        expect(codePointCount(cut)).toBeLessThanOrEqual(max);
        if (fitsLength(text, max)) expect(cut).toBe(text);
        else {
          expect(cut.endsWith(CUT_MARKER)).toBe(true);
          expect(text.startsWith(cut.slice(0, -CUT_MARKER.length))).toBe(true);
          expect(codePointCount(cut)).toBe(max);
        }
      }),
    );
  });

  it("without a marker, keeps exactly the first `max` code points", () => {
    fc.assert(
      fc.property(mixedText, bound, (text, max) => {
        expect(boundText(text, max, "")).toBe(Array.from(text).slice(0, max).join(""));
      }),
    );
  });
});

describe("boundTextTail", () => {
  it("never leaves a lone surrogate, stays within the bound and keeps a suffix", () => {
    fc.assert(
      fc.property(mixedText, bound, (text, max) => {
        const cut = boundTextTail(text, max);
        expect(hasLoneSurrogate(cut)).toBe(false);
        expect(codePointCount(cut)).toBeLessThanOrEqual(max);
        expect(text.endsWith(cut.startsWith(CUT_MARKER) && cut !== text ? cut.slice(CUT_MARKER.length) : cut)).toBe(true);
      }),
    );
  });
});

describe("fitsLength", () => {
  it("counts code points, as the API server does", () => {
    fc.assert(
      fc.property(mixedText, bound, (text, max) => {
        expect(fitsLength(text, max)).toBe(codePointCount(text) <= max);
      }),
    );
  });
});
