import { describe, expect, it } from "vitest";
import { capturedLogger } from "../testing/captured-logger.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { silentLogger } from "../testing/silent-logger.ts";
import { CachedTokenAccess, type CachedTokenAccessLimits } from "./cached-token-access.ts";
import type { TokenAccessDecision } from "./token-access-review.ts";

const limits: CachedTokenAccessLimits = { allowTtlMs: 60_000, denyTtlMs: 10_000, maxEntries: 2, maxInFlight: 2 };

/** A review answering from `decisions` (a missing token rejects), counting its calls per token. */
function countingReview(decisions: Record<string, TokenAccessDecision>): { review: (token: string) => Promise<TokenAccessDecision>; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    calls,
    review: (token) => {
      calls.set(token, (calls.get(token) ?? 0) + 1);
      const decision = decisions[token];
      return decision === undefined ? Promise.reject(new Error("connect ECONNREFUSED")) : Promise.resolve(decision);
    },
  };
}

describe("CachedTokenAccess", () => {
  it("reuses an allow for allowTtlMs and a denial for denyTtlMs only", async () => {
    const clock = new ManualClock();
    const { review, calls } = countingReview({ reader: "allowed", stranger: "forbidden" });
    const access = new CachedTokenAccess({ review, clock, limits, logger: silentLogger });
    expect(await access.decide("reader")).toBe("allowed");
    expect(await access.decide("stranger")).toBe("forbidden");
    clock.advance(9_999);
    await access.decide("reader");
    await access.decide("stranger");
    expect(Object.fromEntries(calls)).toEqual({ reader: 1, stranger: 1 });
    clock.advance(1);
    await access.decide("stranger");
    expect(calls.get("stranger")).toBe(2);
    clock.advance(50_000);
    await access.decide("reader");
    expect(calls.get("reader")).toBe(2);
  });

  it("answers a failed review unavailable, logs it, and asks again next time", async () => {
    const { logger, lines } = capturedLogger("info");
    const { review, calls } = countingReview({});
    const access = new CachedTokenAccess({ review, clock: new ManualClock(), limits, logger });
    expect(await access.decide("any")).toBe("unavailable");
    expect(await access.decide("any")).toBe("unavailable");
    expect(calls.get("any")).toBe(2);
    expect(lines.filter((line) => line.includes("token review failed") && line.includes("ECONNREFUSED"))).toHaveLength(2);
  });

  it("shares one review among requests with the same token, and refuses reviews beyond maxInFlight", async () => {
    const { review, calls } = countingReview({ a: "allowed", b: "allowed", c: "allowed" });
    const access = new CachedTokenAccess({ review, clock: new ManualClock(), limits, logger: silentLogger });
    const answers = await Promise.all([access.decide("a"), access.decide("a"), access.decide("b"), access.decide("c")]);
    expect(answers).toEqual(["allowed", "allowed", "allowed", "unavailable"]);
    expect(Object.fromEntries(calls)).toEqual({ a: 1, b: 1 });
    expect(await access.decide("c")).toBe("allowed");
  });

  it("keeps at most maxEntries answers", async () => {
    const { review, calls } = countingReview({ a: "allowed", b: "allowed", c: "allowed" });
    const access = new CachedTokenAccess({ review, clock: new ManualClock(), limits, logger: silentLogger });
    for (const token of ["a", "b", "c", "a"]) await access.decide(token);
    expect(calls.get("a")).toBe(2);
  });
});
