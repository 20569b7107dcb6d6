import { describe, expect, it } from "vitest";
import { ManualClock } from "../testing/manual-clock.ts";
import {
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
} from "./rate-limiter.ts";

describe("ItemExponentialRateLimiter", () => {
  it.each([
    { failures: 1, delay: 5 },
    { failures: 2, delay: 10 },
    { failures: 3, delay: 20 },
    { failures: 10, delay: 2_560 },
    { failures: 18, delay: 655_360 },
    { failures: 19, delay: 1_000_000 },
    { failures: 40, delay: 1_000_000 },
    { failures: 2_000, delay: 1_000_000 },
  ])("waits $delay ms at failure $failures (5 ms doubling, capped at 1000 s)", ({ failures, delay }) => {
    const limiter = new ItemExponentialRateLimiter(5, 1_000_000);
    let last = 0;
    for (let attempt = 0; attempt < failures; attempt++) last = limiter.when("key");
    expect(last).toBe(delay);
    expect(limiter.retries("key")).toBe(failures);
  });

  it("keeps keys independent and forget starts a key over", () => {
    const limiter = new ItemExponentialRateLimiter(5, 1_000_000);
    limiter.when("a");
    limiter.when("a");
    expect(limiter.when("b")).toBe(5);
    expect(limiter.when("a")).toBe(20);
    limiter.forget("a");
    expect(limiter.retries("a")).toBe(0);
    expect(limiter.when("a")).toBe(5);
  });

  it.each([
    [0, 10, /baseDelayMs must be a finite number > 0/],
    [5, Number.NaN, /maxDelayMs must be a finite number > 0/],
  ])("rejects base %d / max %d", (base, max, message) => {
    expect(() => new ItemExponentialRateLimiter(base, max)).toThrow(message);
  });
});

describe("TokenBucketRateLimiter", () => {
  it.each([
    { name: "the burst passes without delay", calls: 100, advanceMs: 0, lastDelay: 0 },
    { name: "the first call past the burst waits one token", calls: 101, advanceMs: 0, lastDelay: 100 },
    { name: "further calls queue up behind it", calls: 105, advanceMs: 0, lastDelay: 500 },
    { name: "tokens refill at qps", calls: 101, advanceMs: 100, lastDelay: 0 },
  ])("$name", ({ calls, advanceMs, lastDelay }) => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter({ qps: 10, burst: 100, clock });
    let last = 0;
    for (let call = 1; call <= calls; call++) {
      if (call === calls) clock.advance(advanceMs);
      last = limiter.when();
    }
    expect(last).toBe(lastDelay);
  });

  it("never refills beyond the burst", () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter({ qps: 10, burst: 2, clock });
    clock.advance(3_600_000);
    expect([limiter.when(), limiter.when(), limiter.when()]).toEqual([0, 0, 100]);
  });
});

describe("defaultControllerRateLimiter", () => {
  it("takes the longer of the per-key backoff and the global bucket", () => {
    const clock = new ManualClock();
    const limiter = defaultControllerRateLimiter(clock);
    const delays = Array.from({ length: 101 }, (_, index) => limiter.when(`key-${index}`));
    expect(delays.slice(0, 100).every((delay) => delay === 5)).toBe(true);
    expect(delays[100]).toBe(100);
    expect(limiter.when("key-0")).toBe(200);
    expect(limiter.retries("key-0")).toBe(2);
  });

  it("refuses to combine nothing", () => {
    expect(() => new MaxOfRateLimiter([])).toThrow(/limiters must not be empty/);
  });
});
