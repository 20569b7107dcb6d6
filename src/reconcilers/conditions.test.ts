import { describe, expect, it } from "vitest";
import type { Condition } from "../api/v1alpha1/types.generated.ts";
import { mergeConditions } from "./conditions.ts";
import { jsonEqual } from "./deep-equal.ts";

const then = "2026-01-01T00:00:00.000Z";
const now = new Date("2026-02-01T00:00:00.000Z");
const ready = (status: Condition["status"], reason = "Succeeded"): Condition => ({ type: "Ready", status, reason, message: "m", lastTransitionTime: then, observedGeneration: 1 });

describe("mergeConditions", () => {
  it.each([
    { name: "a new condition gets the current time", current: [], status: "True" as const, reason: "Succeeded", time: now.toISOString() },
    { name: "the same status keeps its transition time", current: [ready("True")], status: "True" as const, reason: "Other", time: then },
    { name: "a status change moves the transition time", current: [ready("True")], status: "False" as const, reason: "RunFailed", time: now.toISOString() },
  ])("$name", ({ current, status, reason, time }) => {
    const [merged] = mergeConditions(current, [{ type: "Ready", status, reason, message: "new" }], 2, now);
    expect(merged).toEqual({ type: "Ready", status, reason, message: "new", lastTransitionTime: time, observedGeneration: 2 });
  });

  it("keeps conditions of other types after the desired ones", () => {
    const other: Condition = { type: "Custom", status: "True", reason: "X", message: "", lastTransitionTime: then };
    const merged = mergeConditions([other, ready("True")], [{ type: "Ready", status: "True", reason: "Succeeded", message: "m" }], 1, now);
    expect(merged.map((condition) => condition.type)).toEqual(["Ready", "Custom"]);
  });

  it("bounds long messages", () => {
    const [merged] = mergeConditions([], [{ type: "Ready", status: "False", reason: "R", message: "x".repeat(5000) }], 1, now);
    expect(merged?.message).toHaveLength(1024);
  });
});

describe("jsonEqual", () => {
  it.each([
    { a: { x: 1, y: [1, { z: "a" }] }, b: { y: [1, { z: "a" }], x: 1 }, equal: true },
    { a: { x: 1, y: undefined }, b: { x: 1 }, equal: true },
    { a: [1, 2], b: [2, 1], equal: false },
    { a: { x: 1 }, b: { x: 1, y: 2 }, equal: false },
    { a: { x: [1] }, b: { x: { 0: 1 } }, equal: false },
    { a: null, b: {}, equal: false },
    { a: "1", b: 1, equal: false },
  ])("$a vs $b: $equal", ({ a, b, equal }) => {
    expect(jsonEqual(a, b)).toBe(equal);
  });
});
