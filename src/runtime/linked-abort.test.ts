import { describe, expect, it } from "vitest";
import { linkedAbort } from "./linked-abort.ts";

describe("linkedAbort", () => {
  it.each([
    { name: "a parent aborted before linking", abortFirst: true },
    { name: "a parent aborted after linking", abortFirst: false },
  ])("follows $name", ({ abortFirst }) => {
    const parent = new AbortController();
    if (abortFirst) parent.abort("first");
    const child = linkedAbort(parent.signal);
    if (!abortFirst) parent.abort("first");
    expect(child.signal.aborted).toBe(true);
    expect(child.signal.reason).toBe("first");
  });

  it("aborts alone without touching the parent, and stops following after dispose", () => {
    const parent = new AbortController();
    const child = linkedAbort(parent.signal);
    child.abort("own");
    expect([child.signal.aborted, parent.signal.aborted, child.signal.reason]).toEqual([true, false, "own"]);
    const other = linkedAbort(parent.signal);
    other.dispose();
    parent.abort();
    expect(other.signal.aborted).toBe(false);
  });
});
