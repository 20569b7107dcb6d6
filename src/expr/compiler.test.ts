import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createExpressionCompiler, type CompileResult } from "./compiler.ts";
import type { ExpressionContext } from "./contexts.ts";

const compiler = createExpressionCompiler();

function messageOf(result: CompileResult): string {
  return result.ok ? "ok" : result.message;
}

describe("compile", () => {
  it.each<[string, ExpressionContext, string]>([
    ["event.type == 'x'", "trigger", "ok"],
    ["event.type + '/' + event.source", "dedup", "ok"],
    ["incident.severity == 'high' && steps.isolate.outputs.done", "step", "ok"],
    ["evnt.type == 'x'", "trigger", "undeclared reference to 'evnt' at 1:1 (trigger expressions may use: event)"],
    ["incident.state == 'Open'", "trigger", "undeclared reference to 'incident' at 1:1 (trigger expressions may use: event)"],
    ["steps.a.outputs.x", "dedup", "undeclared reference to 'steps' at 1:1 (dedup expressions may use: event)"],
    ["event.a == 1 && evnt.b == 2", "step", "undeclared reference to 'evnt' at 1:17 (step expressions may use: event, incident, steps)"],
    ["event.a ==\n  nope", "trigger", "undeclared reference to 'nope' at 2:3 (trigger expressions may use: event)"],
    ["has(evnt.x)", "trigger", "undeclared reference to 'evnt' at 1:5 (trigger expressions may use: event)"],
    ["incident.resources.pod + incident.observables.size()", "step", "ok"],
    ["incident.spec.resources.pod", "step", "FIELD"],
    ["has(incident.status)", "step", "FIELD"],
    ["[{'spec': 1}].exists(incident, incident.spec == 1)", "step", "ok"],
    ["incident['spec']", "step", "ok"],
    ["incident.title + ' ' + event.type", "escalation", "ok"],
    ["steps.a.outputs.x", "escalation", "undeclared reference to 'steps' at 1:1 (escalation expressions may use: event, incident)"],
  ])("checks references: %s in %s", (source, context, expected) => {
    const message = messageOf(compiler.compile(source, context));
    if (expected === "FIELD") expect(message).toMatch(/^'incident' has no field '(spec|status)' at 1:\d+ \(fields: name, namespace, severity, title, fingerprint, state, source, resources, observables, occurrences, firstSeen, lastSeen\)$/);
    else expect(message).toBe(expected);
  });

  it.each<[string, string]>([
    ["event.tags.exists(t, t == 'shell')", "ok"],
    ["event.tags.map(t, event.tags.filter(u, u == t).size())", "ok"],
    ["event.tags.exists(t, t == 'a') && t == 'b'", "undeclared reference to 't' at 1:35 (trigger expressions may use: event)"],
    ["type(event.n) == int && type(event.s) == string && type(event.l) == list", "ok"],
    ["strings.quote(event.type) != ''", "ok"],
    ["event.type.lowerAscii().split('.').size() > 1", "ok"],
    ["timestamp(event.time).getHours() < 6", "ok"],
  ])("knows macro variables, type names and library functions: %s", (source, expected) => {
    expect(messageOf(compiler.compile(source, "trigger"))).toBe(expected);
  });

  it.each<[string, string]>([
    ["lower(event.type)", "unknown function 'lower' at 1:1"],
    ["event.type.lower()", "unknown function 'lower' at 1:11"],
    ["event.type.string() == 'x'", "'string' is a function, not a method: call it as string(value) at 1:11"],
    ["startsWith(event.type, 'x')", "'startsWith' is a method: call it as value.startsWith(...) at 1:1"],
    ["event.type.startsWith()", "'startsWith' takes 1 argument(s), not 0 at 1:11"],
    ["strings.quote('a', 'b')", "'strings.quote' takes 1 argument(s), not 2 at 1:8"],
    ["_private(event.type)", "unknown function '_private' at 1:1"],
  ])("checks calls: %s", (source, expected) => {
    expect(messageOf(compiler.compile(source, "trigger"))).toBe(expected);
  });

  it.each<[string, string]>([
    ["event.type ==", "syntax error at 1:12: found = but expecting end of input"],
    ["event.a &&\n  event.b ||", "syntax error at 2:11: found | but expecting end of input"],
    ["in", "syntax error at 1:1: reserved identifier"],
    ["", "expression is empty"],
    ["  \n ", "expression is empty"],
  ])("reports syntax errors with their position: %j", (source, expected) => {
    expect(messageOf(compiler.compile(source, "trigger"))).toBe(expected);
  });

  it.each<[string, string, string]>([
    ["exactly at the byte limit", `event.s == '${"a".repeat(4083)}'`, "ok"],
    ["one byte over", `event.s == '${"a".repeat(4084)}'`, "expression is 4097 bytes long; the limit is 4096"],
    ["multi-byte characters over", `event.s == '${"é".repeat(2043)}'`, "expression is 4099 bytes long; the limit is 4096"],
    ["brackets nested too deep", `${"(".repeat(33)}1${")".repeat(33)} == 1`, "expression nests brackets 33 deep; the limit is 32"],
    ["brackets inside strings are text", `'${"(".repeat(100)}' != ''`, "ok"],
    ["a long operator chain", Array.from({ length: 200 }, () => "event.n").join(" + "), "expression nests 201 levels deep; the limit is 128"],
    [
      "comprehensions nested four deep",
      "event.l.exists(a, event.l.exists(b, event.l.exists(c, event.l.exists(d, d == a))))",
      "expression nests 4 comprehensions (all, exists, exists_one, map, filter) inside one another; the limit is 3",
    ],
    ["chained comprehensions are not nested", "event.l.map(a, a).map(b, b).map(c, c).map(d, d).size() > 0", "ok"],
  ])("enforces limits: %s", (_name, source, expected) => {
    expect(messageOf(compiler.compile(source, "trigger"))).toBe(expected);
  });

  it("applies configured limits", () => {
    const strict = createExpressionCompiler({ limits: { maxSourceBytes: 10, maxComprehensionNesting: 1 } });
    expect(messageOf(strict.compile("event.a == 1", "trigger"))).toBe("expression is 12 bytes long; the limit is 10");
    expect(messageOf(strict.compile("[1].all(x, [1].all(y, true))", "trigger"))).toBe(
      "expression is 28 bytes long; the limit is 10",
    );
    const shallow = createExpressionCompiler({ limits: { maxComprehensionNesting: 1 } });
    expect(messageOf(shallow.compile("[1].all(x, [1].all(y, true))", "trigger"))).toMatch(/nests 2 comprehensions/);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["zero cache entries", { cacheEntries: 0 }, "expression compiler: cacheEntries must be a positive integer, got 0"],
    ["fractional weight", { cacheSourceChars: 1.5 }, "expression compiler: cacheSourceChars must be a positive integer, got 1.5"],
    ["negative cost limit", { limits: { costLimit: -1 } }, "expression limits: costLimit must be a positive integer, got -1"],
  ])("rejects bad options: %s", (_name, options, message) => {
    expect(() => createExpressionCompiler(options)).toThrow(message);
  });

  it("rejects an unknown context from an untyped caller", () => {
    expect(messageOf(compiler.compile("true", "alert" as ExpressionContext))).toBe("unknown expression context 'alert'");
  });

  it("escapes control characters a source carries into its message", () => {
    expect(messageOf(compiler.compile("event.a \u202e", "trigger"))).toBe(
      "syntax error at 1:9: found \\u202e but expecting end of input",
    );
  });

  it("records the declared variables a program reads", () => {
    const result = compiler.compile("incident.severity == 'high' && event.tags.exists(t, t == 'x')", "step");
    expect(result.ok && [...result.program.variables].sort()).toEqual(["event", "incident"]);
  });

  it("never throws, whatever the source", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (source) => {
        const result = compiler.compile(source, "step");
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});

describe("compile cache", () => {
  it("returns the same program for the same context and source", () => {
    const cached = createExpressionCompiler();
    const first = cached.compile("event.type == 'a'", "trigger");
    const second = cached.compile("event.type == 'a'", "trigger");
    const otherContext = cached.compile("event.type == 'a'", "dedup");
    expect(first.ok && second.ok && first.program === second.program).toBe(true);
    expect(otherContext.ok && first.ok && otherContext.program !== first.program).toBe(true);
    expect(cached.cacheSize).toBe(2);
  });

  it("stays within its entry bound under a flood of distinct sources", () => {
    const bounded = createExpressionCompiler({ cacheEntries: 8 });
    for (let i = 0; i < 100; i++) bounded.compile(`event.n == ${i}`, "trigger");
    expect(bounded.cacheSize).toBe(8);
  });

  it("stays within its size bound", () => {
    const bounded = createExpressionCompiler({ cacheSourceChars: 100 });
    for (let i = 0; i < 20; i++) bounded.compile(`event.s == '${String(i).padStart(20, "x")}'`, "trigger");
    // Each key is 41 characters ("trigger", a separator, a 33-character source): two fit.
    expect(bounded.cacheSize).toBe(2);
  });

  it("does not cache over-long sources, which would evict real entries", () => {
    const bounded = createExpressionCompiler({ cacheEntries: 2 });
    bounded.compile("event.a == 1", "trigger");
    for (let i = 0; i < 10; i++) bounded.compile(`${"x".repeat(5000)}${i}`, "trigger");
    expect(bounded.cacheSize).toBe(1);
  });
});
