import { describe, expect, it } from "vitest";
import { MAX_INTENT_ID_LENGTH, sideEffectIntentId } from "./intent-id.ts";

describe("sideEffectIntentId", () => {
  it.each([
    { playbook: "pb", step: "notify", attempt: 1, expected: "0b6c-uid/pb/notify/1" },
    { playbook: "pb", step: "notify", attempt: 2, expected: "0b6c-uid/pb/notify/2" },
  ])("is incident/playbook/step/attempt: $expected", ({ playbook, step, attempt, expected }) => {
    expect(sideEffectIntentId({ incidentUid: "0b6c-uid", playbook, step, attempt })).toBe(expected);
  });

  it("stays within the status bound and distinct for long names", () => {
    const long = (step: string) => sideEffectIntentId({ incidentUid: "2f0c1c1e-8c4b-4b8e-9a57-0d3c5a1f9e21", playbook: "p".repeat(200), step, attempt: 1 });
    expect(long("a").length).toBeLessThanOrEqual(MAX_INTENT_ID_LENGTH);
    expect(long("a")).not.toBe(long("b"));
    expect(long("a")).toBe(long("a"));
  });
});
