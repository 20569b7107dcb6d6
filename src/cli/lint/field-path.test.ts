import { describe, expect, it } from "vitest";
import { child, formatPath, index, key, parsePath } from "./field-path.ts";

describe("field paths", () => {
  it("formats as the API server names fields", () => {
    expect(formatPath(key(child(index(child(child([], "spec"), "steps"), 2), "params"), "reason"))).toBe("spec.steps[2].params[reason]");
    expect(formatPath([])).toBe("");
  });

  it.each([
    ["spec.steps[2].job.args[0]", "spec.steps[2].job.args[0]"],
    ["spec.steps[0].action.params[app.kubernetes.io/name]", "spec.steps[0].action.params[app.kubernetes.io/name]"],
    [".target.kind", "target.kind"],
    ["spec.headers.X-Token", "spec.headers.X-Token"],
  ])("parses %s back", (text, formatted) => {
    expect(formatPath(parsePath(text))).toBe(formatted);
  });

  it("reads bracketed digits as list indexes and other bracketed text as map keys", () => {
    expect(parsePath("a[1][x]")).toEqual([{ kind: "field", name: "a" }, { kind: "index", index: 1 }, { kind: "key", key: "x" }]);
  });

  it("stops where the text no longer parses", () => {
    expect(parsePath("spec.steps[0")).toEqual([{ kind: "field", name: "spec" }, { kind: "field", name: "steps" }]);
  });
});
