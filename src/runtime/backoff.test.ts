import { describe, expect, it } from "vitest";
import { Backoff, cappedExponential, validateBackoffOptions } from "./backoff.ts";

describe("cappedExponential", () => {
  it.each([
    [100, 0, 1000, 2, 100],
    [100, 3, 1000, 2, 800],
    [100, 4, 1000, 2, 1000],
    [100, -1, 1000, 2, 100],
    [100, 2, 10_000, 3, 900],
    [0, 5000, 1000, 2, 0],
    [1, 5000, 1000, 2, 1000],
  ])("%d ms after %d failures, capped at %d, factor %d: %d ms", (initial, n, max, factor, expected) => {
    expect(cappedExponential(initial, n, max, factor)).toBe(expected);
  });
});

describe("Backoff", () => {
  it.each([
    { name: "without jitter doubles up to the cap", random: 0, delays: [800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000] },
    { name: "with full jitter draw shortens by half", random: 0.999_999, delays: [400, 800, 1_600, 3_200, 6_400, 12_800, 15_000, 15_000] },
  ])("$name", ({ random, delays }) => {
    const backoff = new Backoff({ initialMs: 800, maxMs: 30_000, factor: 2, jitter: 0.5, random: () => random });
    expect(delays.map(() => backoff.next())).toEqual(delays);
  });

  it("starts over after reset", () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0, random: () => 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it.each([
    [{ initialMs: 0, maxMs: 10, factor: 2, jitter: 0 }, /initialMs/],
    [{ initialMs: 10, maxMs: 5, factor: 2, jitter: 0 }, /maxMs/],
    [{ initialMs: 10, maxMs: 50, factor: 0.5, jitter: 0 }, /factor/],
    [{ initialMs: 10, maxMs: 50, factor: 2, jitter: 1 }, /jitter/],
  ])("rejects %j", (options, message) => {
    expect(() => { validateBackoffOptions(options); }).toThrow(message);
  });
});
