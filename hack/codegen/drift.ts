import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GeneratedFile } from "./generated-files.ts";
import { GENERATED_ONLY_DIRS } from "./generated-files.ts";

/** How a file on disk differs from what the generator produces. */
export interface Drift {
  readonly path: string;
  readonly problem: "missing" | "outdated" | "stale";
  /** 1-based number of the first line that differs, for outdated files. */
  readonly line?: number;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error: unknown) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error: unknown) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function firstDifferentLine(actual: string, expected: string): number {
  const a = actual.split("\n");
  const b = expected.split("\n");
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  return line + 1;
}

/** Files in the generated-only directories that the generator would not write. */
async function staleFiles(root: string, files: readonly GeneratedFile[]): Promise<string[]> {
  const expected = new Set(files.map((file) => file.path));
  const stale: string[] = [];
  for (const dir of GENERATED_ONLY_DIRS) {
    for (const name of await listDir(path.join(root, dir))) if (!expected.has(`${dir}/${name}`)) stale.push(`${dir}/${name}`);
  }
  return stale.sort();
}

/**
 * Compares `files` with the tree under `root`. Returns one entry per file that is missing,
 * differs, or sits in a generated-only directory (`crds/`, the chart's `crds/`) without being generated; an empty
 * list means the tree is up to date.
 */
export async function findDrift(root: string, files: readonly GeneratedFile[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const file of files) {
    const actual = await readIfPresent(path.join(root, file.path));
    if (actual === undefined) drift.push({ path: file.path, problem: "missing" });
    else if (actual !== file.content) {
      drift.push({ path: file.path, problem: "outdated", line: firstDifferentLine(actual, file.content) });
    }
  }
  for (const stale of await staleFiles(root, files)) drift.push({ path: stale, problem: "stale" });
  return drift;
}

/** One line per drifted file, saying what is wrong with it. */
export function describeDrift(drift: Drift): string {
  switch (drift.problem) {
    case "missing":
      return `${drift.path}: missing`;
    case "outdated":
      return `${drift.path}: out of date with the schema (first difference at line ${drift.line ?? 1})`;
    case "stale":
      return `${drift.path}: not generated from the schema any more (${path.dirname(drift.path)}/ holds only generated files)`;
  }
}

/**
 * Writes `files` under `root` (creating directories) and removes stale files from the generated-only directories,
 * so that {@link findDrift} afterwards returns nothing. Returns the paths it changed.
 */
export async function writeGenerated(root: string, files: readonly GeneratedFile[]): Promise<string[]> {
  const changed: string[] = [];
  for (const drift of await findDrift(root, files)) {
    const target = path.join(root, drift.path);
    if (drift.problem === "stale") {
      await rm(target, { recursive: true, force: true });
    } else {
      const file = files.find((candidate) => candidate.path === drift.path);
      if (file === undefined) continue;
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    changed.push(drift.path);
  }
  return changed;
}
