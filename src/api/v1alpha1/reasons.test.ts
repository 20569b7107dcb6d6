import { describe, expect, it } from "vitest";
import { IncidentReason } from "./incident-reasons.ts";
import { Reason, reasonsOf } from "./reasons.ts";

/** The reason pattern of metav1.Condition, which Event reasons also satisfy. */
const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;

describe("Reason", () => {
  it.each(Object.entries(Reason))("%s is PascalCase, a valid condition reason and its own key", (key, reason) => {
    expect(reason).toMatch(PASCAL_CASE);
    expect(reason).toMatch(CONDITION_REASON);
    expect(reason.length).toBeLessThanOrEqual(128);
    expect(reason).toBe(key);
  });
});

describe("reasonsOf", () => {
  it("picks the named reasons with their values", () => {
    expect(reasonsOf(["StepFailed", "Reverted"])).toEqual({ StepFailed: "StepFailed", Reverted: "Reverted" });
  });

  it("makes the Incident's reasons a subset of Reason", () => {
    expect(Object.values(Reason)).toEqual(expect.arrayContaining(Object.values(IncidentReason)));
  });
});
