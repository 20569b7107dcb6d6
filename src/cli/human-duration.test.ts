import { describe, expect, it } from "vitest";
import { ageOf, humanDuration } from "./human-duration.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration", () => {
  it.each([
    [-3 * s, "<invalid>"],
    [-1500, "0s"],
    [0, "0s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [3 * m + 20 * s, "3m20s"],
    [10 * m + 59 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [7 * h + 59 * m, "7h59m"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [3 * d + 4 * h, "3d4h"],
    [8 * d, "8d"],
    [729 * d, "729d"],
    [730 * d, "2y"],
    [3 * 365 * d + 10 * d, "3y10d"],
    [9 * 365 * d, "9y"],
  ])("%d ms is %s", (duration, expected) => {
    expect(humanDuration(duration)).toBe(expected);
  });
});

describe("ageOf", () => {
  const now = new Date("2026-03-01T12:00:00Z");

  it("reads timestamps and dates, and says when there is none", () => {
    expect(ageOf("2026-03-01T11:57:00Z", now)).toBe("3m");
    expect(ageOf(new Date("2026-02-28T12:00:00Z"), now)).toBe("24h");
    expect(ageOf(undefined, now)).toBe("<unknown>");
    expect(ageOf("yesterday", now)).toBe("<unknown>");
  });
});
