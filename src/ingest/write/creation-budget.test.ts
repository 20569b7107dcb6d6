import { describe, expect, it } from "vitest";
import type { CreationLimits } from "../../config/options.ts";
import { ManualClock } from "../../testing/manual-clock.ts";
import { CreationBudget, type CreationClaim } from "./creation-budget.ts";
import { TokenBucket } from "./token-bucket.ts";

const limits: CreationLimits = {
  global: { burst: 10, perMinute: 60 },
  perSource: { burst: 3, perMinute: 6 },
  maxSources: 2,
  unmatchedMaxOpen: 1_000,
};

function matched(source: string): CreationClaim {
  return { source, unmatched: false, flood: false };
}

function grants(budget: CreationBudget, claim: CreationClaim, times: number): string[] {
  return Array.from({ length: times }, () => {
    const grant = budget.claim(claim);
    return grant.admitted ? "ok" : grant.limit;
  });
}

describe("TokenBucket", () => {
  it("starts full, refills at its rate up to its burst, and refunds never above the burst", () => {
    const bucket = new TokenBucket({ burst: 2, perMinute: 60 }, 0);
    expect(bucket.available(0)).toBe(true);
    bucket.take();
    bucket.take();
    expect(bucket.available(999)).toBe(false);
    expect(bucket.available(1_000)).toBe(true);
    expect(bucket.available(60_000)).toBe(true);
    bucket.take();
    bucket.take();
    expect(bucket.available(60_000)).toBe(false);
    bucket.refund();
    bucket.refund();
    bucket.refund();
    bucket.take();
    bucket.take();
    expect(bucket.available(60_000)).toBe(false);
  });

  it("refuses a burst below 1 and a negative rate", () => {
    expect(() => new TokenBucket({ burst: 0, perMinute: 1 }, 0)).toThrow(/burst must be an integer >= 1/);
    expect(() => new TokenBucket({ burst: 1, perMinute: -1 }, 0)).toThrow(/perMinute must be a finite number >= 0/);
  });
});

describe("CreationBudget", () => {
  it("grants a source its burst, then its rate, and refuses the rest as over the source limit", () => {
    const clock = new ManualClock();
    const budget = new CreationBudget(limits, 3_600_000, clock);
    expect(grants(budget, matched("falco-a"), 4)).toEqual(["ok", "ok", "ok", "source"]);
    clock.advance(9_999);
    expect(grants(budget, matched("falco-a"), 1)).toEqual(["source"]);
    clock.advance(1);
    expect(grants(budget, matched("falco-a"), 2)).toEqual(["ok", "source"]);
  });

  it("keeps one source's flood from taking another source's budget while the global bucket has room", () => {
    const budget = new CreationBudget(limits, 3_600_000, new ManualClock());
    grants(budget, matched("forged"), 50);
    expect(grants(budget, matched("genuine"), 3)).toEqual(["ok", "ok", "ok"]);
  });

  it("refuses every source once the global bucket is empty, and a flood claim asks the global bucket only", () => {
    const clock = new ManualClock();
    const budget = new CreationBudget({ ...limits, maxSources: 100 }, 3_600_000, clock);
    for (let source = 0; source < 4; source++) grants(budget, matched(`s${String(source)}`), 3);
    expect(grants(budget, matched("s9"), 1)).toEqual(["global"]);
    expect(grants(budget, { source: "s0", unmatched: false, flood: true }, 1)).toEqual(["global"]);
    clock.advance(1_000);
    // s0 has no token of its own left, but its flood Incident needs only a global one.
    expect(grants(budget, { source: "s0", unmatched: false, flood: true }, 2)).toEqual(["ok", "global"]);
  });

  it("takes nothing from any bucket when one of them refuses", () => {
    const budget = new CreationBudget({ ...limits, global: { burst: 3, perMinute: 0 } }, 3_600_000, new ManualClock());
    // The source limit refuses the fourth: the global bucket keeps its tokens for others.
    expect(grants(budget, matched("a"), 3)).toEqual(["ok", "ok", "ok"]);
    expect(grants(budget, matched("a"), 1)).toEqual(["source"]);
    expect(grants(budget, matched("b"), 1)).toEqual(["global"]);
  });

  it("gives back every token of a refunded grant", () => {
    const budget = new CreationBudget({ ...limits, global: { burst: 1, perMinute: 0 }, unmatchedMaxOpen: 1 }, 3_600_000, new ManualClock());
    const grant = budget.claim({ source: "a", unmatched: true, flood: false });
    expect(grant.admitted).toBe(true);
    expect(grants(budget, { source: "b", unmatched: true, flood: false }, 1)).toEqual(["unmatched"]);
    if (grant.admitted) grant.refund();
    expect(grants(budget, { source: "b", unmatched: true, flood: false }, 1)).toEqual(["ok"]);
  });

  it("caps unmatched Incidents opened within the dedup window, whatever their sources", () => {
    const clock = new ManualClock();
    const budget = new CreationBudget({ ...limits, maxSources: 100, unmatchedMaxOpen: 2 }, 60_000, clock);
    expect(grants(budget, { source: "a", unmatched: true, flood: false }, 1)).toEqual(["ok"]);
    clock.advance(30_000);
    expect(grants(budget, { source: "b", unmatched: true, flood: false }, 1)).toEqual(["ok"]);
    expect(grants(budget, { source: "c", unmatched: true, flood: false }, 1)).toEqual(["unmatched"]);
    // Matched alerts are not under the unmatched cap.
    expect(grants(budget, matched("c"), 1)).toEqual(["ok"]);
    clock.advance(30_000);
    // The first one left the window.
    expect(grants(budget, { source: "c", unmatched: true, flood: false }, 2)).toEqual(["ok", "unmatched"]);
  });

  it("remembers at most maxSources buckets, forgetting the least recently used", () => {
    const budget = new CreationBudget(limits, 3_600_000, new ManualClock());
    for (let source = 0; source < 500; source++) budget.claim(matched(`forged-${String(source)}`));
    expect(budget.trackedSources).toBe(2);
  });

  it("refuses unusable limits with the name of the field", () => {
    const clock = new ManualClock();
    expect(() => new CreationBudget({ ...limits, maxSources: 0 }, 1, clock)).toThrow(/maxSources/);
    expect(() => new CreationBudget({ ...limits, unmatchedMaxOpen: -1 }, 1, clock)).toThrow(/unmatchedMaxOpen/);
    expect(() => new CreationBudget({ ...limits, perSource: { burst: 0, perMinute: 1 } }, 1, clock)).toThrow(/burst/);
  });
});
