import { describe, expect, it } from "vitest";
import { parsePath } from "./field-path.ts";
import { readDocuments, type SourceDocument } from "./source-documents.ts";

function only(documents: SourceDocument[], position = 0): Extract<SourceDocument, { ok: true }> {
  const document = documents[position];
  if (document?.ok !== true) throw new Error("expected a readable document");
  return document;
}

const TEXT = `a: 1
---
# second
spec:
  steps:
    - name: x
      args: [one, "two"]
  labels: &shared
    k: v
  copy: *shared
---
`;

describe("readDocuments", () => {
  it("reads every document and leaves empty ones out", () => {
    const documents = readDocuments(TEXT, false);
    expect(documents.map((document) => document.ok && document.value)).toEqual([{ a: 1 }, { spec: { steps: [{ name: "x", args: ["one", "two"] }], labels: { k: "v" }, copy: { k: "v" } } }]);
    expect(documents.map((document) => document.index)).toEqual([0, 1]);
  });

  it.each([
    ["spec.steps[0].name", { line: 6, col: 13 }],
    ["spec.steps[0].args[1]", { line: 7, col: 19 }],
    ["spec.steps[0]", { line: 6, col: 7 }],
    ["spec.steps", { line: 5, col: 3 }],
    ["spec.steps[0].missing", { line: 6, col: 7 }],
    ["spec.copy.k", { line: 9, col: 8 }],
    ["", { line: 4, col: 1 }],
  ])("locates %s", (path, position) => {
    expect(only(readDocuments(TEXT, false), 1).locate(parsePath(path))).toEqual(position);
  });

  it("points at the key of a scalar field when asked", () => {
    expect(only(readDocuments(TEXT, false), 1).locate(parsePath("spec.steps[0].name"), "key")).toEqual({ line: 6, col: 7 });
  });

  it("reads YAML 1.1 as kubectl does, and JSON as JSON", () => {
    expect(only(readDocuments("a: yes\nb: off\n", false)).value).toEqual({ a: true, b: false });
    expect(only(readDocuments('{"a": "yes"}', true)).value).toEqual({ a: "yes" });
  });

  it("reports a syntax error or a duplicate key with its position", () => {
    expect(readDocuments("a: 1\na: 2\n", false)).toEqual([{ ok: false, index: 0, position: { line: 2, col: 1 }, message: "Map keys must be unique" }]);
  });

  it("refuses a document that expands too many aliases", () => {
    const text = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, level) => `l${level}: &l${level} [${Array.from({ length: 10 }, () => (level === 0 ? "*a" : `*l${level - 1}`)).join(", ")}]`).join("\n")}\n`;
    const [document] = readDocuments(text, false);
    expect(document?.ok).toBe(false);
  });
});
