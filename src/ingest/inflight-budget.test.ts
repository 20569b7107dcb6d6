import { describe, expect, it } from "vitest";
import { InflightBudget } from "./inflight-budget.ts";

describe("InflightBudget", () => {
  it("leases while both the count and the bytes fit, and refuses beyond either", () => {
    const budget = new InflightBudget({ count: 3, bytes: 100 });
    const a = budget.tryTake(1, 60);
    expect(a?.held).toEqual({ count: 1, bytes: 60 });
    expect(budget.tryTake(1, 41)).toBeUndefined();
    const b = budget.tryTake(1, 40);
    expect(budget.used).toEqual({ count: 2, bytes: 100 });
    expect(budget.free).toEqual({ count: 1, bytes: 0 });
    expect(budget.tryTake(1, 0)).toBeDefined();
    expect(budget.tryTake(1, 0)).toBeUndefined();
    a?.release();
    b?.release();
    expect(budget.used).toEqual({ count: 1, bytes: 0 });
  });

  it("releases a lease once however often release is called", () => {
    const budget = new InflightBudget({ count: 2, bytes: 10 });
    const lease = budget.tryTake(1, 10);
    const other = budget.tryTake(1, 0);
    lease?.release();
    lease?.release();
    expect(budget.used).toEqual({ count: 1, bytes: 0 });
    other?.release();
    expect(budget.used).toEqual({ count: 0, bytes: 0 });
  });

  it("hands a reservation's parts to leases of their own and returns the unused rest on release", () => {
    const budget = new InflightBudget({ count: 10, bytes: 1_000 });
    const reservation = budget.tryTake(10, 1_000);
    const first = reservation?.split(1, 300);
    const second = reservation?.split(1, 200);
    expect(reservation?.held).toEqual({ count: 8, bytes: 500 });
    reservation?.release();
    expect(budget.used).toEqual({ count: 2, bytes: 500 });
    first?.release();
    second?.release();
    expect(budget.used).toEqual({ count: 0, bytes: 0 });
  });

  it("lets a split overdraw the budget for work already here, and counts it until released", () => {
    const budget = new InflightBudget({ count: 2, bytes: 100 });
    const reservation = budget.tryTake(1, 50);
    const bigger = reservation?.split(1, 120);
    expect(budget.used).toEqual({ count: 1, bytes: 120 });
    expect(budget.free).toEqual({ count: 1, bytes: 0 });
    expect(budget.fits(1, 1)).toBe(false);
    bigger?.release();
    reservation?.release();
    expect(budget.used).toEqual({ count: 0, bytes: 0 });
  });

  it("wakes a waiter once its amount fits, and not before", async () => {
    const budget = new InflightBudget({ count: 4, bytes: 100 });
    const a = budget.tryTake(1, 70);
    const b = budget.tryTake(1, 20);
    let woken = false;
    const waiting = budget.whenFits(1, 50).then((fits) => {
      woken = fits;
    });
    b?.release();
    await Promise.resolve();
    expect(woken).toBe(false);
    a?.release();
    await waiting;
    expect(woken).toBe(true);
    // Waiting takes nothing.
    expect(budget.used).toEqual({ count: 0, bytes: 0 });
  });

  it("resolves a wait with false when its signal aborts, and never for an amount above the limits", async () => {
    const budget = new InflightBudget({ count: 1, bytes: 10 });
    const abort = new AbortController();
    const waiting = budget.whenFits(1, 11, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
    expect(await budget.whenFits(1, 1, abort.signal)).toBe(false);
  });

  it("refuses limits below one and amounts that are not non-negative integers", () => {
    expect(() => new InflightBudget({ count: 0, bytes: 10 })).toThrow(/count and bytes must be >= 1/);
    const budget = new InflightBudget({ count: 1, bytes: 10 });
    expect(() => budget.tryTake(-1, 0)).toThrow(/count must be an integer >= 0/);
    expect(() => budget.tryTake(1, 1.5)).toThrow(/bytes must be an integer >= 0/);
  });
});
