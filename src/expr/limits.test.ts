import { describe, expect, it } from "vitest";
import { defaultExpressionLimits, resolveExpressionLimits } from "./limits.ts";

describe("resolveExpressionLimits", () => {
  it("fills in defaults around overrides", () => {
    expect(resolveExpressionLimits({ costLimit: 5 })).toEqual({ ...defaultExpressionLimits, costLimit: 5 });
  });

  it.each<[string, number]>([
    ["maxSourceBytes", 0],
    ["maxTreeDepth", -3],
    ["costLimit", 1.5],
    ["maxTemplateSegments", Number.NaN],
  ])("rejects %s = %s", (field, value) => {
    expect(() => resolveExpressionLimits({ [field]: value })).toThrow(
      `expression limits: ${field} must be a positive integer, got ${String(value)}`,
    );
  });
});
