import { describe, expect, it } from "vitest";
import type { PlaybookRun, StepState } from "../api/v1alpha1/types.generated.ts";
import { intentDisposition, IntentLedger, newIntents } from "./intent-ledger.ts";
import type { CallConnectorEffect, EnsureJobEffect } from "./step-effects.ts";
import { messagePayload } from "../testing/connector-payloads.ts";

const running = (name: string, id: string): StepState => ({ name, phase: "Running", attempts: 1, intent: { attempt: 1, id, at: "2026-03-01T12:00:00.000Z" } });
const run = (...steps: StepState[]): PlaybookRun => ({ name: "pb", generation: 1, phase: "Running", steps });

const call: CallConnectorEffect = {
  kind: "callConnector",
  playbook: "pb",
  step: "tell",
  attempt: 1,
  intentId: "uid/pb/tell/1",
  retry: { retryLimit: 0, retryBackoffMs: 10_000, continueOnError: false },
  connector: "hook",
  payload: messagePayload("hi"),
};
const job: EnsureJobEffect = { kind: "ensureJob", playbook: "pb", step: "scan", attempt: 1, job: { metadata: { name: "uid-pb-scan-1" } } };

describe("newIntents", () => {
  it("lists the intents of running steps that the write added, with their kinds", () => {
    const before = [run(running("old", "id-old"))];
    const after = [run(running("old", "id-old"), running("tell", "id-tell"), { name: "done", phase: "Succeeded", intent: { attempt: 1, id: "id-done" } })];
    expect(newIntents(before, after, (_playbook, step) => (step === "tell" ? "notify" : "job"))).toEqual([{ id: "id-tell", kind: "notify" }]);
  });
});

describe("IntentLedger", () => {
  it("knows an intent fresh once recorded durable, per Incident, until forgotten", () => {
    const ledger = new IntentLedger();
    ledger.recordDurable("ns/a", [call.intentId]);
    expect(ledger.fresh("ns/a").has(call.intentId)).toBe(true);
    expect(ledger.fresh("ns/b").size).toBe(0);
    ledger.forget("ns/a");
    expect(ledger.fresh("ns/a").size).toBe(0);
  });

  it("drops an effect's intent from the fresh set before handing the effect to execute", () => {
    const ledger = new IntentLedger();
    ledger.recordDurable("ns/a", [call.intentId, "uid/pb/other/1"]);
    const freshWhilePlanning = ledger.fresh("ns/a");
    const handed = ledger.takeForExecution("ns/a", [job, call]);
    // Once handed over the intent counts as carried out, even if execute never returns.
    expect(handed).toEqual([job, call]);
    expect(ledger.fresh("ns/a").has(call.intentId)).toBe(false);
    expect(freshWhilePlanning.has(call.intentId)).toBe(false);
    expect(ledger.fresh("ns/a").has("uid/pb/other/1")).toBe(true);
  });

  it("never hands out a non-repeatable effect twice: after execution the next plan finds its outcome unknown", () => {
    const ledger = new IntentLedger();
    const decide = (): string =>
      intentDisposition({ id: call.intentId, durableId: call.intentId, fresh: ledger.fresh("ns/a"), kind: "notify", safeToRetry: false });
    expect(decide()).toBe("outcome-unknown");
    ledger.recordDurable("ns/a", [call.intentId]);
    expect(decide()).toBe("carry-out");
    ledger.takeForExecution("ns/a", [call]);
    expect(decide()).toBe("outcome-unknown");
  });
});

describe("intentDisposition", () => {
  it.each([
    { name: "an intent not yet durable waits, fresh or not", durableId: undefined, fresh: true, kind: "connector" as const, safeToRetry: false, expected: "wait" },
    { name: "an intent superseded by another waits", durableId: "other", fresh: true, kind: "action" as const, safeToRetry: false, expected: "wait" },
    { name: "a fresh connector call is carried out", durableId: "id", fresh: true, kind: "connector" as const, safeToRetry: false, expected: "carry-out" },
    { name: "a connector call of unknown outcome is not repeated", durableId: "id", fresh: false, kind: "connector" as const, safeToRetry: false, expected: "outcome-unknown" },
    { name: "a connector call marked safeToRetry is repeated", durableId: "id", fresh: false, kind: "connector" as const, safeToRetry: true, expected: "carry-out" },
    { name: "an action is repeated (idempotent)", durableId: "id", fresh: false, kind: "action" as const, safeToRetry: false, expected: "carry-out" },
    { name: "a Job is repeated (deterministic name)", durableId: "id", fresh: false, kind: "job" as const, safeToRetry: false, expected: "carry-out" },
  ])("$name", ({ durableId, fresh, kind, safeToRetry, expected }) => {
    expect(intentDisposition({ id: "id", durableId, fresh: new Set(fresh ? ["id"] : []), kind, safeToRetry })).toBe(expected);
  });
});
