import { describe, expect, it } from "vitest";
import { isRfc3339Timestamp, parseRfc3339 } from "./rfc3339.ts";

describe("isRfc3339Timestamp", () => {
  it.each([
    ["2026-11-20T10:42:17Z", true],
    ["2026-11-20T10:42:17.118823521Z", true],
    ["2026-11-20t10:42:17z", true],
    ["2026-11-20T10:42:17+05:30", true],
    ["2026-11-20T10:42:17-00:00", true],
    ["2024-02-29T00:00:00Z", true],
    ["2016-12-31T23:59:60Z", true],
    ["0001-01-01T00:00:00Z", true],
    ["yesterday", false],
    ["", false],
    ["2026-11-20", false],
    ["2026-11-20 10:42:17Z", false],
    ["2026-11-20T10:42:17", false],
    ["2026-13-20T10:42:17Z", false],
    ["2026-00-20T10:42:17Z", false],
    ["2026-02-29T00:00:00Z", false],
    ["1900-02-29T00:00:00Z", false],
    ["2026-04-31T00:00:00Z", false],
    ["2026-11-20T24:00:00Z", false],
    ["2026-11-20T10:60:00Z", false],
    ["2026-11-20T10:42:61Z", false],
    ["2026-11-20T10:42:17+24:00", false],
    ["2026-11-20T10:42:17.Z", false],
    ["1763635337", false],
    ["2026-11-20T10:42:17Z\n", false],
  ])("%j is valid: %s", (text, valid) => {
    expect(isRfc3339Timestamp(text)).toBe(valid);
  });
});

describe("parseRfc3339", () => {
  it.each<[string, number | undefined]>([
    ["2026-11-20T10:42:17Z", Date.UTC(2026, 10, 20, 10, 42, 17)],
    ["2026-11-20T10:42:17.118823521Z", Date.UTC(2026, 10, 20, 10, 42, 17, 118)],
    ["2026-11-20T10:42:17+05:30", Date.UTC(2026, 10, 20, 5, 12, 17)],
    ["2026-11-20T10:42:17-01:00", Date.UTC(2026, 10, 20, 11, 42, 17)],
    ["2016-12-31T23:59:60Z", Date.UTC(2016, 11, 31, 23, 59, 59, 999)],
    ["0001-01-01T00:00:00Z", Date.UTC(2001, 0, 1) - 2000 * 365.2425 * 86_400_000],
    ["2026-02-29T00:00:00Z", undefined],
    ["2026-11-20", undefined],
  ])("%s → %s", (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });
});
