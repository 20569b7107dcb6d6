import { describe, expect, it } from "vitest";
import { createExpressionCompiler } from "./compiler.ts";
import { evaluate } from "./evaluate.ts";
import { cachingRegexEngine, regexCacheEntries } from "./regex-cache.ts";

describe("cachingRegexEngine", () => {
  it("compiles a pattern once and reuses it", () => {
    const engine = cachingRegexEngine();
    const first = engine.compile("^a+$");
    expect(engine.compile("^a+$")).toBe(first);
    expect(first.test("aaa")).toBe(true);
  });

  it("keeps a bounded number of patterns", () => {
    const engine = cachingRegexEngine();
    const first = engine.compile("p0");
    for (let i = 1; i <= regexCacheEntries; i++) engine.compile(`p${i}`);
    expect(engine.compile("p0")).not.toBe(first);
  });

  it("does not cache a pattern that fails to compile", () => {
    const engine = cachingRegexEngine();
    expect(() => engine.compile("(")).toThrow(/missing closing \)/);
    expect(() => engine.compile("(")).toThrow(/missing closing \)/);
  });
});

describe("matches", () => {
  const compiler = createExpressionCompiler();
  const run = (source: string, s: string) => {
    const compiled = compiler.compile(source, "trigger");
    if (!compiled.ok) throw new Error(compiled.message);
    return evaluate(compiled.program, { event: { s } });
  };

  it("runs in linear time on text built to make backtracking engines explode", () => {
    expect(run("event.s.matches('^(a+)+$')", `${"a".repeat(40)}!`)).toEqual({ ok: true, value: false });
  });

  it.each<[string, string, unknown]>([
    ["event.s.matches('(curl|wget).*[|] *(sh|bash)')", "sh -c curl -s http://x | sh", { ok: true, value: true }],
    ["event.s.matches('^prod-')", "dev-shop", { ok: true, value: false }],
    [
      "event.s.matches('(')",
      "x",
      { ok: false, reason: "EvaluationError", message: "error parsing regexp: missing closing ): `(` at 1:8" },
    ],
  ])("%s on %j", (source, s, expected) => {
    expect(run(source, s)).toEqual(expected);
  });
});
