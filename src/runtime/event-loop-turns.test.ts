import { describe, expect, it } from "vitest";
import { EventLoopTurns } from "./event-loop-turns.ts";

describe("EventLoopTurns", () => {
  it("resumes waiters in arrival order", async () => {
    const turns = new EventLoopTurns();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map(async (index) => {
      await turns.next();
      order.push(index);
    }));
    expect(order).toEqual([1, 2, 3]);
    expect(turns.waiting).toBe(0);
  });

  it("lets a timer that is due run between two queued turns", async () => {
    const turns = new EventLoopTurns();
    const events: string[] = [];
    const first = turns.next().then(() => {
      events.push("first");
      // Long synchronous work: the timer below becomes due meanwhile.
      const until = performance.now() + 5;
      while (performance.now() < until) { /* busy */ }
    });
    const second = turns.next().then(() => events.push("second"));
    setTimeout(() => events.push("timer"), 1);
    await Promise.all([first, second]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events.indexOf("timer")).toBeLessThan(events.indexOf("second"));
    expect(events[0]).toBe("first");
  });
});
