import { describe, expect, it } from "vitest";
import { ManualClock } from "./manual-clock.ts";

describe("ManualClock", () => {
  it("fires due timers in due order, each seeing its own due time", () => {
    const clock = new ManualClock(new Date(0));
    const fired: [string, number][] = [];
    clock.setTimer(30, () => fired.push(["c", clock.now().getTime()]));
    clock.setTimer(10, () => fired.push(["a", clock.now().getTime()]));
    clock.setTimer(10, () => fired.push(["b", clock.now().getTime()]));
    clock.advance(20);
    expect(fired).toEqual([["a", 10], ["b", 10]]);
    expect(clock.now().getTime()).toBe(20);
    clock.advance(10);
    expect(fired).toEqual([["a", 10], ["b", 10], ["c", 30]]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("runs timers scheduled by a firing timer within the same advance", () => {
    const clock = new ManualClock(new Date(0));
    const fired: number[] = [];
    clock.setTimer(5, () => {
      fired.push(clock.now().getTime());
      clock.setTimer(5, () => fired.push(clock.now().getTime()));
    });
    clock.advance(10);
    expect(fired).toEqual([5, 10]);
  });

  it("does not fire cancelled timers", () => {
    const clock = new ManualClock(new Date(0));
    let fired = false;
    clock.setTimer(5, () => { fired = true; }).cancel();
    clock.advance(10);
    expect(fired).toBe(false);
  });
});
