import { describe, expect, it } from "vitest";
import { formatDifferences, subsetDifferences } from "./expectation.ts";

describe("subsetDifferences", () => {
  const actual = { a: 1, b: { c: "x", d: [1, 2] }, steps: [{ name: "s1", phase: "Succeeded" }, { name: "s2", phase: "Skipped" }], absent: undefined };

  it.each([
    { name: "a map compares only its keys", expected: { b: { c: "x" } }, differences: [] },
    { name: "a differing scalar", expected: { a: 2 }, differences: [{ path: "a", expected: 2, actual: 1 }] },
    { name: "a string is not a number", expected: { a: "1" }, differences: [{ path: "a", expected: "1", actual: 1 }] },
    { name: "a missing key", expected: { z: 1 }, differences: [{ path: "z", expected: 1, actual: undefined }] },
    { name: "null expects absence", expected: { absent: null }, differences: [] },
    { name: "null refuses a present value", expected: { a: null }, differences: [{ path: "a", expected: null, actual: 1 }] },
    { name: "named items match by name, in any order", expected: { steps: [{ name: "s2", phase: "Skipped" }] }, differences: [] },
    { name: "a named item that is missing", expected: { steps: [{ name: "s3" }] }, differences: [{ path: "steps[name=s3]", expected: { name: "s3" }, actual: undefined }] },
    { name: "other lists compare item by item", expected: { b: { d: [1, 3] } }, differences: [{ path: "b.d[1]", expected: 3, actual: 2 }] },
    { name: "other lists must have the same length", expected: { b: { d: [1] } }, differences: [{ path: "b.d", expected: [1], actual: [1, 2] }] },
    { name: "a map where the report has a scalar", expected: { a: { x: 1 } }, differences: [{ path: "a", expected: { x: 1 }, actual: 1 }] },
  ])("$name", ({ expected, differences }) => {
    expect(subsetDifferences(expected, actual)).toEqual(differences);
  });
});

describe("formatDifferences", () => {
  it("prints a unified diff with one hunk per difference", () => {
    expect(formatDifferences([{ path: "a", expected: 2, actual: 1 }, { path: "z", expected: "x", actual: undefined }], "e.yaml")).toBe(
      '--- expected (e.yaml)\n+++ actual\n@@ a @@\n-2\n+1\n@@ z @@\n-"x"\n+(absent)',
    );
  });
});
