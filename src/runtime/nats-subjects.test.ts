import { describe, expect, it } from "vitest";
import { isLiteralSubject, subjectCovers, subjectsOverlap, subjectToken, uncoveredSubjects } from "./nats-subjects.ts";

describe("subjectCovers", () => {
  const cases: [pattern: string, subject: string, covered: boolean][] = [
    ["soar.events.>", "soar.events.http.falco", true],
    ["soar.events.>", "soar.events.http.*", true],
    ["soar.events.>", "soar.events.>", true],
    ["soar.events.>", "soar.events", false],
    ["soar.*.http", "soar.events.http", true],
    ["soar.*.http", "soar.>", false],
    ["soar.*", "soar.*", true],
    ["soar.*", "soar.>", false],
    ["falco.>", "soar.events.x", false],
    ["a.b", "a.b", true],
    ["a.b", "a.b.c", false],
    [">", "anything.at.all", true],
  ];
  for (const [pattern, subject, covered] of cases) {
    it(`${pattern} ${covered ? "covers" : "does not cover"} ${subject}`, () => {
      expect(subjectCovers(pattern, subject)).toBe(covered);
    });
  }
});

describe("uncoveredSubjects", () => {
  it("lists what no pattern covers, in order", () => {
    expect(uncoveredSubjects(["soar.events.>"], ["falco.>", "soar.events.x", "other"])).toEqual(["falco.>", "other"]);
  });
});

describe("subjectToken", () => {
  const cases: [string, string][] = [
    ["invalid-json", "invalid-json"],
    ["Too Large", "too_large"],
    ["a.b>c*d", "a_b_c_d"],
    ["", "_"],
    ["x".repeat(100), "x".repeat(64)],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input.slice(0, 12))} becomes ${expected.slice(0, 12)}`, () => {
      expect(subjectToken(input)).toBe(expected);
    });
  }
});

describe("subjectsOverlap", () => {
  it.each([
    ["soar.incidents.>", "soar.events.>", false],
    ["soar.incidents.>", "soar.>", true],
    ["soar.incidents.>", "soar.*.x", true],
    ["soar.incidents.>", "soar.*", false],
    ["soar.incidents.>", "soar.incidents", false],
    ["soar.incidents.>", ">", true],
    ["falco.>", "soar.incidents.>", false],
    ["a.*.c", "a.b.*", true],
    ["a.*.c", "a.b.d", false],
    ["a.b", "a.b", true],
    ["a.b", "a.b.c", false],
  ])("%s and %s overlap: %s", (a, b, overlap) => {
    expect(subjectsOverlap(a, b)).toBe(overlap);
    expect(subjectsOverlap(b, a)).toBe(overlap);
  });
});

describe("isLiteralSubject", () => {
  it.each([
    ["soar.incidents", true],
    ["soar", true],
    ["soar..incidents", false],
    ["soar.incidents.", false],
    ["soar.*", false],
    ["soar.>", false],
    ["soar incidents", false],
    ["", false],
  ])("%j: %s", (subject, literal) => {
    expect(isLiteralSubject(subject)).toBe(literal);
  });
});
