import { describe, expect, it } from "vitest";
import { createExpressionCompiler, type ExpressionCompiler } from "./compiler.ts";
import { evaluate, evaluateBool } from "./evaluate.ts";
import type { CompiledExpression } from "./program.ts";

function program(compiler: ExpressionCompiler, source: string): CompiledExpression {
  const result = compiler.compile(source, "trigger");
  if (!result.ok) throw new Error(`test expression does not compile: ${result.message}`);
  return result.program;
}

const compiler = createExpressionCompiler();
const numbers = Array.from({ length: 1000 }, (_, i) => i);
const event = { l: numbers, small: [1, 2, 3], s: "x".repeat(10_000), t: "abc" };
const exceeded = {
  ok: false,
  reason: "CostLimitExceeded",
  message: "evaluation exceeded the cost limit of 100000 units",
};

describe("cost limit", () => {
  it.each<[string, string]>([
    ["nested comprehensions over input", "event.l.map(x, event.l.map(y, event.l.map(z, x + y + z))).size() > 0"],
    ["nested exists with a cheap body", "event.l.exists(x, event.l.exists(y, event.l.exists(z, z < 0)))"],
    ["loops whose bodies call no function", "event.l.all(x, event.l.all(y, event.l.all(z, true)))"],
    ["errors absorbed by || inside loops", "event.l.exists(x, event.l.exists(y, y.missing || false))"],
    ["membership tests inside a loop", "event.l.all(x, x in event.l)"],
    ["string growth inside a loop", "event.l.map(x, event.s + event.s).size() > 0"],
    ["scans of a large string inside a loop", "event.l.exists(x, event.s.contains('y'))"],
    ["a map that accumulates a long list", "event.l.map(x, x).size() > 0"],
    ["a chain of large concatenations", `(${Array.from({ length: 40 }, () => "event.s").join(" + ")}).size() > 0`],
  ])("aborts %s", (_name, source) => {
    expect(evaluate(program(compiler, source), { event })).toEqual(exceeded);
  });

  it.each<[string, unknown]>([
    ["[1, 2, 3].map(x, [1, 2, 3].map(y, [1, 2, 3].map(z, x * y * z)))[2][2][2]", 27],
    ["event.small.exists(x, event.l.exists(y, y == x * 100))", true],
    ["event.l.filter(x, x < 200).size()", 200],
    ["event.l.exists(x, x == 999)", true],
    ["event.t + event.t", "abcabc"],
  ])("lets ordinary expressions finish: %s", (source, value) => {
    expect(evaluate(program(compiler, source), { event })).toEqual({ ok: true, value });
  });

  it("gives every evaluation a fresh budget", () => {
    const nearLimit = program(compiler, "event.l.filter(x, x < 400).size() == 400");
    for (let i = 0; i < 3; i++) expect(evaluateBool(nearLimit, { event })).toEqual({ ok: true, value: true });
  });

  it("follows the configured limit", () => {
    const tight = createExpressionCompiler({ limits: { costLimit: 50 } });
    expect(evaluateBool(program(tight, "event.small.all(x, x > 0)"), { event })).toEqual({ ok: true, value: true });
    expect(evaluateBool(program(tight, "event.l.all(x, x >= 0)"), { event })).toEqual({
      ok: false,
      reason: "CostLimitExceeded",
      message: "evaluation exceeded the cost limit of 50 units",
    });
  });

  it("restores the stack trace setting after evaluating", () => {
    const before = Error.stackTraceLimit;
    evaluate(program(compiler, "event.missing == 1"), { event });
    evaluate(program(compiler, "event.l.all(x, x in event.l)"), { event });
    expect(Error.stackTraceLimit).toBe(before);
  });
});
