import { describe, expect, it } from "vitest";
import { boundText, boundTextTail } from "./output-bounds.ts";

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
});
