import { describe, expect, it } from "vitest";
import type { StepState } from "../api/v1alpha1/types.generated.ts";
import type { EffectOutcome } from "./step-effects.ts";
import { applyEffectOutcome } from "./effect-outcome.ts";
import { FIXED_NOW } from "../testing/fixed-now.ts";

const now = FIXED_NOW;
const earlierUndo = { action: "isolatePod", namespace: "shop", pod: "web-0", networkPolicy: "np", isolationLabel: "x" };
const running: StepState = { name: "s", phase: "Running", attempts: 1, intent: { attempt: 1, id: "uid/pb/s/1" }, undo: earlierUndo };
const policy = { retryLimit: 1, retryBackoffMs: 1_000, continueOnError: false };

describe("applyEffectOutcome", () => {
  it.each<{ name: string; outcome: EffectOutcome; state?: StepState; expected: Partial<StepState>; reason: string }>([
    {
      name: "success with a new undo record replaces the old one",
      outcome: { ok: true, message: "isolated", outputs: { networkPolicy: "np2" }, undo: { action: "cordonNode", node: "n1" } },
      expected: { phase: "Succeeded", message: "attempt 1: isolated", outputs: { networkPolicy: "np2" }, undo: { action: "cordonNode", node: "n1" } },
      reason: "StepSucceeded",
    },
    {
      name: "success without an undo record keeps the earlier one",
      outcome: { ok: true, message: "already isolated", outputs: {} },
      expected: { phase: "Succeeded", undo: earlierUndo },
      reason: "StepSucceeded",
    },
    {
      name: "a retryable failure with retries left waits",
      outcome: { ok: false, reason: "ApiUnavailable", message: "server busy", retryable: true },
      expected: { phase: "Waiting", message: "attempt 1 failed (ApiUnavailable): server busy; attempt 2 of 2 in 1s", undo: earlierUndo },
      reason: "StepRetrying",
    },
    {
      name: "a retryable failure without retries left fails with its reason",
      state: { ...running, attempts: 2, intent: { attempt: 2, id: "uid/pb/s/2" } },
      outcome: { ok: false, reason: "PodDisruptionBudget", message: "budget", retryable: true },
      expected: { phase: "Failed", message: "attempt 2 failed (PodDisruptionBudget): budget" },
      reason: "PodDisruptionBudget",
    },
    {
      name: "a final failure fails at once",
      outcome: { ok: false, reason: "Forbidden", message: "bind kube-soar-action-isolation", retryable: false },
      expected: { phase: "Failed", message: "attempt 1 failed (Forbidden): bind kube-soar-action-isolation", intent: { attempt: 1, id: "uid/pb/s/1" } },
      reason: "Forbidden",
    },
  ])("$name", ({ outcome, state, expected, reason }) => {
    const result = applyEffectOutcome(state ?? running, outcome, policy, now);
    expect(result.state).toMatchObject({ ...expected, finishedAt: now.toISOString() });
    expect(result.event.reason).toBe(reason);
  });

  it("bounds outputs to 16 entries of 2048 characters", () => {
    const outputs = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`k${index}`, "x".repeat(3000)]));
    const result = applyEffectOutcome(running, { ok: true, message: "m", outputs }, policy, now);
    const values = Object.values(result.state.outputs ?? {});
    expect(values.length).toBe(16);
    expect(values.every((value) => value.length === 2048)).toBe(true);
  });
});
