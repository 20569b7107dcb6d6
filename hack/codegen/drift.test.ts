import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KINDS } from "../../src/api/v1alpha1/schema/index.ts";
import type { Drift } from "./drift.ts";
import { chartFiles } from "./chart-files.ts";
import { describeDrift, findDrift, writeGenerated } from "./drift.ts";
import { TYPES_PATH, generatedFiles } from "./generated-files.ts";

const files = generatedFiles(KINDS);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const playbookCrd = "crds/playbooks.soar.kube-soar.io.yaml";

let root = "";

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "kube-soar-generate-"));
  await writeGenerated(root, files);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("findDrift", () => {
  it.each<[string, (dir: string) => Promise<void>, Drift[]]>([
    ["nothing after generating", async () => {}, []],
    [
      "an edited CRD",
      async (dir) => {
        const file = path.join(dir, playbookCrd);
        const lines = (await readFile(file, "utf8")).split("\n");
        lines[5] = "  name: edited-by-hand";
        await writeFile(file, lines.join("\n"));
      },
      [{ path: playbookCrd, problem: "outdated", line: 6 }],
    ],
    [
      "deleted types",
      async (dir) => {
        await unlink(path.join(dir, TYPES_PATH));
      },
      [{ path: TYPES_PATH, problem: "missing" }],
    ],
    [
      "a file in crds/ the schema does not produce",
      async (dir) => {
        await writeFile(path.join(dir, "crds/sightings.soar.kube-soar.io.yaml"), "kind: CustomResourceDefinition\n");
      },
      [{ path: "crds/sightings.soar.kube-soar.io.yaml", problem: "stale" }],
    ],
  ])("reports %s", async (_, mutate, expected) => {
    await mutate(root);
    expect(await findDrift(root, files)).toEqual(expected);
  });

  it("reports every file of an empty tree as missing", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "kube-soar-empty-"));
    try {
      const drift = await findDrift(empty, files);
      expect(drift.map((entry) => entry.problem)).toEqual(files.map(() => "missing"));
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("finds the committed files up to date with their sources (else run `npm run generate`)", async () => {
    const all = [...files, ...(await chartFiles(repoRoot, KINDS))];
    expect((await findDrift(repoRoot, all)).map(describeDrift)).toEqual([]);
  });
});

describe("writeGenerated", () => {
  it("repairs drift, removes stale files and then changes nothing", async () => {
    await writeFile(path.join(root, playbookCrd), "edited\n");
    await unlink(path.join(root, TYPES_PATH));
    await writeFile(path.join(root, "crds/old.yaml"), "stale\n");

    expect((await writeGenerated(root, files)).sort()).toEqual(["crds/old.yaml", playbookCrd, TYPES_PATH].sort());
    expect(await findDrift(root, files)).toEqual([]);
    expect(await writeGenerated(root, files)).toEqual([]);
  });
});

describe("describeDrift", () => {
  it.each<[Drift, string]>([
    [{ path: "a.yaml", problem: "missing" }, "a.yaml: missing"],
    [{ path: "a.yaml", problem: "outdated", line: 7 }, "a.yaml: out of date with the schema (first difference at line 7)"],
    [{ path: "crds/x.yaml", problem: "stale" }, "crds/x.yaml: not generated from the schema any more (crds/ holds only generated files)"],
  ])("describes %j", (drift, expected) => {
    expect(describeDrift(drift)).toBe(expected);
  });
});
