import { describe, expect, it } from "vitest";
import { sleep } from "./clock.ts";
import { ManualClock } from "../testing/manual-clock.ts";

describe("sleep", () => {
  it("resolves true once the delay elapsed", async () => {
    const clock = new ManualClock();
    const slept = sleep(clock, 100);
    clock.advance(100);
    expect(await slept).toBe(true);
  });

  it("resolves false and cancels its timer when aborted", async () => {
    const clock = new ManualClock();
    const abort = new AbortController();
    const slept = sleep(clock, 100, abort.signal);
    abort.abort();
    expect(await slept).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("resolves false at once for an aborted signal", async () => {
    const clock = new ManualClock();
    expect(await sleep(clock, 100, AbortSignal.abort())).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });
});
