import { describe, expect, it } from "vitest";
import {
  decideLeaseAction,
  defaultLeaseTimings,
  observeLease,
  releasedLeaseRecord,
  validateLeaseTimings,
  type LeaseDecision,
  type LeaseRecord,
  type ObservedLease,
} from "./lease-decision.ts";

const t0 = new Date("2025-01-01T00:00:00Z");
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

function record(holder: string, overrides: Partial<LeaseRecord> = {}): LeaseRecord {
  return { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: at(-60), renewTime: at(-1), leaseTransitions: 3, ...overrides };
}

const observed = (lease: LeaseRecord, seconds: number): ObservedLease => ({ record: lease, observedAt: at(seconds) });

describe("decideLeaseAction", () => {
  it.each<{ name: string; lease: ObservedLease | undefined; nowSeconds: number; expected: LeaseDecision }>([
    {
      name: "creates an absent lease, held by me",
      lease: undefined,
      nowSeconds: 0,
      expected: { action: "create", record: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: at(0), renewTime: at(0), leaseTransitions: 0 } },
    },
    {
      name: "renews my own lease, keeping acquireTime and transitions",
      lease: observed(record("me"), -1),
      nowSeconds: 0,
      expected: { action: "renew", record: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: at(-60), renewTime: at(0), leaseTransitions: 3 } },
    },
    {
      name: "renews my own lease even when I observed it long ago",
      lease: observed(record("me"), -100),
      nowSeconds: 0,
      expected: { action: "renew", record: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: at(-60), renewTime: at(0), leaseTransitions: 3 } },
    },
    {
      name: "waits while another holder's record changed less than a lease duration ago",
      lease: observed(record("other"), -14.999),
      nowSeconds: 0,
      expected: { action: "wait", holder: "other", expiresAt: at(0.001) },
    },
    {
      name: "takes over when another holder's record has not changed for a lease duration",
      lease: observed(record("other"), -15),
      nowSeconds: 0,
      expected: { action: "acquire", record: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: at(0), renewTime: at(0), leaseTransitions: 4 } },
    },
    {
      name: "judges expiry by local observation, not by the holder's renewTime (stale remote clock)",
      lease: observed(record("other", { renewTime: at(-3_600) }), -1),
      nowSeconds: 0,
      expected: { action: "wait", holder: "other", expiresAt: at(14) },
    },
    {
      name: "judges expiry by local observation, not by the holder's renewTime (future remote clock)",
      lease: observed(record("other", { renewTime: at(3_600) }), -20),
      nowSeconds: 0,
      expected: { action: "acquire", record: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: at(0), renewTime: at(0), leaseTransitions: 4 } },
    },
    {
      name: "acquires a released lease at once",
      lease: observed(record("", { leaseDurationSeconds: 1 }), 0),
      nowSeconds: 0,
      expected: { action: "acquire", record: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: at(0), renewTime: at(0), leaseTransitions: 4 } },
    },
  ])("$name", ({ lease, nowSeconds, expected }) => {
    expect(decideLeaseAction(lease, at(nowSeconds), "me", defaultLeaseTimings)).toEqual(expected);
  });

  it("writes the configured duration in whole seconds, at least one", () => {
    const decision = decideLeaseAction(undefined, t0, "me", { leaseDurationMs: 2_500, renewDeadlineMs: 2_000, retryPeriodMs: 500 });
    expect(decision.action === "create" && decision.record.leaseDurationSeconds).toBe(3);
  });
});

describe("observeLease", () => {
  it.each([
    { name: "first sight", previous: undefined, next: record("a"), observedAt: at(10) },
    { name: "unchanged record keeps the first observation time", previous: observed(record("a"), 2), next: record("a"), observedAt: at(2) },
    { name: "renewed record restarts the clock", previous: observed(record("a"), 2), next: record("a", { renewTime: at(5) }), observedAt: at(10) },
    { name: "new holder restarts the clock", previous: observed(record("a"), 2), next: record("b"), observedAt: at(10) },
    { name: "new transition count restarts the clock", previous: observed(record("a"), 2), next: record("a", { leaseTransitions: 9 }), observedAt: at(10) },
  ])("$name", ({ previous, next, observedAt }) => {
    expect(observeLease(previous, next, at(10))).toEqual({ record: next, observedAt });
  });
});

describe("releasedLeaseRecord", () => {
  it("empties the holder and keeps the transition count", () => {
    expect(releasedLeaseRecord(record("me"), at(5))).toEqual({
      holderIdentity: "",
      leaseDurationSeconds: 1,
      acquireTime: at(5),
      renewTime: at(5),
      leaseTransitions: 3,
    });
  });
});

describe("validateLeaseTimings", () => {
  it.each([
    [{ leaseDurationMs: 0, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }, /leaseDurationMs must be a finite number > 0/],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: Number.NaN, retryPeriodMs: 2_000 }, /renewDeadlineMs must be a finite number > 0/],
    [{ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }, /leaseDurationMs must be greater than renewDeadlineMs/],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }, /renewDeadlineMs must be greater than 1.2 × retryPeriodMs/],
  ])("rejects %j", (timings, message) => {
    expect(() => { validateLeaseTimings(timings); }).toThrow(message);
  });

  it("accepts the defaults and the short test timings", () => {
    expect(() => { validateLeaseTimings(defaultLeaseTimings); }).not.toThrow();
    expect(() => { validateLeaseTimings({ leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 }); }).not.toThrow();
  });
});
