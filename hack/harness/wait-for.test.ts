import { describe, expect, it } from "vitest";
import { waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  it("resolves with the first value that is not undefined, null or false", async () => {
    const answers = [undefined, null, false, 0, 7];
    let calls = 0;
    const value = await waitFor(() => answers[calls++], { timeoutMs: 5_000, intervalMs: 1, description: "an answer" });
    expect(value).toBe(0);
    expect(calls).toBe(4);
  });

  it("keeps polling through thrown errors", async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls < 3) throw new Error("not found");
        return "found";
      },
      { timeoutMs: 5_000, intervalMs: 1, description: "the object" },
    );
    expect(value).toBe("found");
  });

  it("names what it waited for and the last error when the deadline passes", async () => {
    await expect(
      waitFor(
        () => {
          throw new Error("configmap x not found");
        },
        { timeoutMs: 20, intervalMs: 5, description: "configmap x" },
      ),
    ).rejects.toThrow(/timed out after 20 ms waiting for configmap x; last error: configmap x not found/);
  });

  it("evaluates the condition once even with a zero timeout", async () => {
    let calls = 0;
    await expect(waitFor(() => ++calls > 1, { timeoutMs: 0, description: "never" })).rejects.toThrow(/waiting for never$/);
    expect(calls).toBe(1);
  });
});
