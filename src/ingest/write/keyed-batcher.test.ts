import { describe, expect, it } from "vitest";
import { ManualClock } from "../../testing/manual-clock.ts";
import { KeyedBatcher } from "./keyed-batcher.ts";

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function batcher(clock: ManualClock, write: (key: string, requests: readonly string[]) => Promise<string[]>): KeyedBatcher<string, string> {
  return new KeyedBatcher({ clock, intervalMs: 1_000, concurrency: 1, write });
}

describe("KeyedBatcher", () => {
  it("writes a key's first request at once and the requests arriving within the interval together", async () => {
    const clock = new ManualClock();
    const batches: string[][] = [];
    const keyed = batcher(clock, (key, requests) => {
      batches.push([key, ...requests]);
      return Promise.resolve(requests.map((request) => `${request}!`));
    });
    const first = keyed.submit("a", "1");
    await settle();
    const later = [keyed.submit("a", "2"), keyed.submit("a", "3")];
    await settle();
    expect(batches).toEqual([["a", "1"]]);
    clock.advance(1_000);
    expect(await Promise.all([first, ...later])).toEqual(["1!", "2!", "3!"]);
    expect(batches).toEqual([["a", "1"], ["a", "2", "3"]]);
  });

  it("rejects every request of a batch whose write failed, and one whose outcome is missing", async () => {
    const clock = new ManualClock();
    const failing = batcher(clock, () => Promise.reject(new Error("conflict")));
    await expect(failing.submit("a", "1")).rejects.toThrow("conflict");
    const short = batcher(clock, () => Promise.resolve([]));
    await expect(short.submit("a", "1")).rejects.toThrow("batch write of a lost an outcome");
  });

  it("writes at most `concurrency` batches at once across keys", async () => {
    const clock = new ManualClock();
    let inFlight = 0;
    let most = 0;
    const keyed = batcher(clock, async (_key, requests) => {
      most = Math.max(most, ++inFlight);
      await settle();
      inFlight--;
      return [...requests];
    });
    expect(await Promise.all([keyed.submit("a", "1"), keyed.submit("b", "2")])).toEqual(["1", "2"]);
    expect(most).toBe(1);
  });
});
