import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN_DIR_ENV, binaryPath, lastLine, locateBinDir } from "./binaries.ts";

describe("lastLine", () => {
  it.each([
    { text: "", line: undefined },
    { text: "\n  \n", line: undefined },
    { text: "building\n/cache/bin\n", line: "/cache/bin" },
    { text: "/cache/bin  \n\n", line: "/cache/bin" },
  ])("of $text is $line", ({ text, line }) => {
    expect(lastLine(text)).toBe(line);
  });
});

describe("binaries", () => {
  let dir = "";
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("takes the bin directory from KUBE_SOAR_BIN_DIR without building", async () => {
    expect(await locateBinDir({ env: { [BIN_DIR_ENV]: "relative/bin" }, repoRoot: "/nonexistent" })).toBe(
      join(process.cwd(), "relative/bin"),
    );
  });

  it("resolves an executable binary", async () => {
    dir = await mkdtemp(join(tmpdir(), "binaries-test-"));
    await writeFile(join(dir, "etcd"), "#!/bin/sh\n");
    await chmod(join(dir, "etcd"), 0o755);
    expect(await binaryPath(dir, "etcd")).toBe(join(dir, "etcd"));
  });

  it.each([
    { name: "missing", prepare: (): Promise<void> => Promise.resolve() },
    {
      name: "not executable",
      prepare: async (): Promise<void> => {
        await writeFile(join(dir, "kwok"), "");
      },
    },
  ])("names a $name binary, its directory and the fixes", async ({ prepare }) => {
    dir = await mkdtemp(join(tmpdir(), "binaries-test-"));
    await prepare();
    await expect(binaryPath(dir, "kwok")).rejects.toThrow(
      `binaries: kwok is missing or not executable in ${dir}; run hack/build-tools.sh or set KUBE_SOAR_BIN_DIR`,
    );
  });
});
