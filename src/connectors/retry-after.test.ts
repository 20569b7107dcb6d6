import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after.ts";

const now = new Date("2026-11-23T12:00:00Z");

describe("parseRetryAfter", () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ["0", 0],
    ["7", 7000],
    [" 120 ", 120_000],
    ["Mon, 23 Nov 2026 12:00:30 GMT", 30_000],
    ["Mon, 23 Nov 2026 11:59:00 GMT", 0],
    ["-5", undefined],
    ["1.5", undefined],
    ["soon", undefined],
    ["2026-11-23T12:00:30Z", undefined],
  ])("%j", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
