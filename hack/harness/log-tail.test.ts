import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lastLines, logTail } from "./log-tail.ts";

describe("lastLines", () => {
  it.each([
    { text: "", count: 3, tail: "" },
    { text: "a\nb\nc\n", count: 2, tail: "b\nc" },
    { text: "a\nb\nc\n\n\n", count: 5, tail: "a\nb\nc" },
    { text: "only", count: 1, tail: "only" },
  ])("keeps the last $count lines of $text", ({ text, count, tail }) => {
    expect(lastLines(text, count)).toBe(tail);
  });
});

describe("logTail", () => {
  let dir = "";
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns the end of a file larger than its read window", async () => {
    dir = await mkdtemp(join(tmpdir(), "log-tail-test-"));
    const path = join(dir, "big.log");
    const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}`);
    await writeFile(path, `${lines.join("\n")}\n`);
    expect(await logTail(path, 3)).toBe("line 19997\nline 19998\nline 19999");
  });

  it("describes a file it cannot read instead of throwing", async () => {
    dir = await mkdtemp(join(tmpdir(), "log-tail-test-"));
    const path = join(dir, "missing.log");
    expect(await logTail(path)).toContain(`cannot read ${path}`);
  });
});
