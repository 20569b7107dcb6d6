import { describe, expect, it } from "vitest";
import { Semaphore } from "./intake-semaphore.ts";

describe("Semaphore", () => {
  it("admits at most its limit and hands slots over in arrival order", async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    await semaphore.acquire();
    await semaphore.acquire();
    const third = semaphore.acquire().then(() => order.push("third"));
    const fourth = semaphore.acquire().then(() => order.push("fourth"));
    expect(semaphore.held).toBe(2);
    semaphore.release();
    await third;
    expect(order).toEqual(["third"]);
    semaphore.release();
    await fourth;
    expect(order).toEqual(["third", "fourth"]);
    expect(semaphore.held).toBe(2);
  });

  it("resolves idle once every slot is released", async () => {
    const semaphore = new Semaphore(3);
    await semaphore.acquire();
    await semaphore.acquire();
    let idle = false;
    const waiting = semaphore.idle().then(() => (idle = true));
    semaphore.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    semaphore.release();
    await waiting;
    expect(idle).toBe(true);
    expect(semaphore.held).toBe(0);
  });

  it("rejects a limit below 1", () => {
    expect(() => new Semaphore(0)).toThrow(/semaphore limit must be an integer >= 1/);
  });
});
