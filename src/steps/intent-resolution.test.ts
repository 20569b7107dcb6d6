import { describe, expect, it } from "vitest";
import { resolveUnknownOutcome } from "./intent-resolution.ts";

describe("resolveUnknownOutcome", () => {
  it.each([
    { kind: "job" as const, safeToRetry: false, expected: "repeat" },
    { kind: "action" as const, safeToRetry: false, expected: "repeat" },
    { kind: "approval" as const, safeToRetry: false, expected: "repeat" },
    { kind: "connector" as const, safeToRetry: false, expected: "outcome-unknown" },
    { kind: "connector" as const, safeToRetry: true, expected: "repeat" },
    { kind: "notify" as const, safeToRetry: false, expected: "outcome-unknown" },
    { kind: "notify" as const, safeToRetry: true, expected: "repeat" },
  ])("$kind with safeToRetry=$safeToRetry: $expected", ({ kind, safeToRetry, expected }) => {
    expect(resolveUnknownOutcome(kind, safeToRetry)).toBe(expected);
  });
});
