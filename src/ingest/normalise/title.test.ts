import { describe, expect, it } from "vitest";
import { MAX_TITLE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import { sanitiseTitle } from "./title.ts";

describe("sanitiseTitle", () => {
  it.each([
    ["Terminal shell in container", "Terminal shell in container"],
    ["  spaced \t out\n\nlines ", "spaced out lines"],
    ["nul\u0000 and bell\u0007", "nul and bell"],
    ["bidi \u202eevil\u202c text \u2066iso\u2069", "bidi evil text iso"],
    ["zero\u200bwidth\ufeff", "zerowidth"],
    ["c1\u0085control", "c1control"],
    ["lone \ud800 surrogate", "lone surrogate"],
    ["emoji 😀 stays", "emoji 😀 stays"],
    ["${{ event.data }} $(id) `id`", "${{ event.data }} $(id) `id`"],
  ])("%j becomes %j", (text, title) => {
    expect(sanitiseTitle(text)).toBe(title);
  });

  it("falls back when nothing is left", () => {
    expect(sanitiseTitle("\u0000\u202e", "com.example.type")).toBe("com.example.type");
    expect(sanitiseTitle("")).toBe("alert");
    expect(sanitiseTitle("\u0000", "\u0001")).toBe("alert");
  });

  it("cuts long text to 256 code points (as the API server counts) with an ellipsis, never splitting a surrogate pair", () => {
    const long = sanitiseTitle("a".repeat(1000));
    expect(long).toHaveLength(MAX_TITLE_LENGTH);
    expect(long.endsWith("…")).toBe(true);
    expect(sanitiseTitle("b".repeat(254) + "😀😀")).toBe("b".repeat(254) + "😀😀");
    const emoji = sanitiseTitle("b".repeat(254) + "😀😀😀");
    expect(Array.from(emoji).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(emoji).toBe(`${"b".repeat(254)}😀…`);
    expect(sanitiseTitle("c".repeat(256))).toBe("c".repeat(256));
  });
});
