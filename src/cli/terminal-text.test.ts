import { describe, expect, it } from "vitest";
import { printable } from "./terminal-text.ts";

describe("printable", () => {
  it.each([
    { text: "plain", max: 10, expected: "plain" },
    { text: "0123456789abc", max: 10, expected: "012345678…" },
    { text: "bell\u0007", max: 20, expected: "bell\\u0007" },
    { text: "c1\u009b", max: 20, expected: "c1\\u009b" },
    { text: "escape\u001b[2J", max: 20, expected: "escape\\u001b[2J" },
    { text: "rtl\u202etxt", max: 20, expected: "rtl\\u202etxt" },
    { text: "two\nlines", max: 20, expected: "two\\u000alines" },
  ])("$text → $expected", ({ text, max, expected }) => {
    expect(printable(text, max)).toBe(expected);
  });
});
