import { describe, expect, it } from "vitest";
import { generationName, MAX_INCIDENT_NAME_LENGTH } from "./incident-name.ts";

const long = `falco-${"a".repeat(46)}-3f9a0c12de`;

describe("generationName", () => {
  const cases: { name: string; base: string; generation: number; expected: string }[] = [
    { name: "first generation is the base", base: "falco-shell-3f9a0c12de", generation: 1, expected: "falco-shell-3f9a0c12de" },
    { name: "later generations get a suffix", base: "falco-shell-3f9a0c12de", generation: 2, expected: "falco-shell-3f9a0c12de-2" },
    { name: "large generation", base: "falco-shell-3f9a0c12de", generation: 137, expected: "falco-shell-3f9a0c12de-137" },
    { name: "long base keeps its hash", base: long, generation: 12, expected: `falco-${"a".repeat(43)}-3f9a0c12de-12` },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const name = generationName(testCase.base, testCase.generation);
      expect(name).toBe(testCase.expected);
      expect(name.length).toBeLessThanOrEqual(MAX_INCIDENT_NAME_LENGTH);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    });
  }

  it("is the same on every call", () => {
    expect(generationName(long, 7)).toBe(generationName(long, 7));
  });

  it("rejects a generation below 1", () => {
    expect(() => generationName("x", 0)).toThrow(/generation must be a positive integer/);
  });
});
