import { describe, expect, it } from "vitest";
import { createExpressionCompiler } from "./compiler.ts";
import type { ExpressionContext } from "./contexts.ts";
import { evaluate, evaluateBool, evaluateString } from "./evaluate.ts";
import type { CompiledExpression } from "./program.ts";
import { prepareVariables } from "./variables.ts";

const compiler = createExpressionCompiler();

function program(source: string, context: ExpressionContext = "trigger"): CompiledExpression {
  const result = compiler.compile(source, context);
  if (!result.ok) throw new Error(`test expression does not compile: ${result.message}`);
  return result.program;
}

const event = {
  type: "falco.alert",
  source: "falco://worker-2",
  severity: "high",
  data: {
    rule: "Terminal shell in container",
    tags: ["container", "shell"],
    output_fields: { "k8s.ns.name": "prod-shop", "user.uid": 0, "proc.tty": 34816, ratio: 0.5, gone: null },
  },
  observables: [
    { kind: "ip", value: "203.0.113.7" },
    { kind: "pod", value: "prod-shop/web-0" },
  ],
};
const incident = { severity: "high", state: "Open", occurrences: 3 };
const steps = { isolate: { outputs: { policy: "deny-all", applied: true } } };

describe("evaluate in each context", () => {
  it.each<[ExpressionContext, string, unknown]>([
    ["trigger", `event.data.rule == "Terminal shell in container" && event.severity in ["high", "critical"]`, true],
    ["trigger", `event.data.output_fields["k8s.ns.name"].startsWith("prod-")`, true],
    ["trigger", `has(event.data.output_fields)`, true],
    ["trigger", `event.observables.exists(o, o.kind == "ip" && o.value.startsWith("203.0.113."))`, true],
    ["trigger", `event.observables.map(o, o.kind)`, ["ip", "pod"]],
    ["trigger", `event.data.tags.all(t, t.size() > 3)`, true],
    ["dedup", `event.source + "/" + event.data.output_fields["k8s.ns.name"]`, "falco://worker-2/prod-shop"],
    ["dedup", `string(event.data.output_fields["proc.tty"])`, "34816"],
    ["step", `incident.occurrences > 2 && steps.isolate.outputs.applied`, true],
    ["step", `steps.isolate.outputs.policy + " in " + event.data.output_fields["k8s.ns.name"]`, "deny-all in prod-shop"],
    ["step", `{"ns": event.data.output_fields["k8s.ns.name"], "n": incident.occurrences}`, { ns: "prod-shop", n: 3 }],
  ])("%s: %s", (context, source, expected) => {
    expect(evaluate(program(source, context), { event, incident, steps })).toEqual({ ok: true, value: expected });
  });
});

describe("numbers", () => {
  it.each<[string, unknown]>([
    ["event.data.output_fields['user.uid'] == 0", true],
    ["event.data.output_fields['proc.tty'] + 1", 34817],
    ["type(event.data.output_fields['proc.tty']) == int", true],
    ["type(event.data.output_fields.ratio) == double", true],
    ["event.data.output_fields.ratio * 2.0", 1],
    ["event.data.output_fields['proc.tty'] / 3", 11605],
    ["dyn(event.data.output_fields['user.uid']) == 0u", true],
    ["dyn(event.data.output_fields['user.uid']) == 0.0", true],
    ["type(event.big) == double", true],
    ["event.exact - 1 + 1", 9007199254740991],
    ["7 / -2", -3],
    ["string(1.5) + ' ' + string(42) + ' ' + string(true)", "1.5 42 true"],
  ])("%s", (source, expected) => {
    const variables = { event: { ...event, big: 2 ** 60, exact: 2 ** 53 - 1 } };
    expect(evaluate(program(source), variables)).toEqual({ ok: true, value: expected });
  });

  it("accepts bigint input as int", () => {
    expect(evaluate(program("event.n + 1"), { event: { n: 41n } })).toEqual({ ok: true, value: 42 });
  });
});

describe("failures", () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ["event.data.missing == 'x'", { event }, "EvaluationError", "field not found: missing at 1:11"],
    ["event.data.output_fields['absent'] == 'x'", { event }, "EvaluationError", "field not found: absent at 1:1"],
    ["event.observables[5].kind", { event }, "EvaluationError", "index 5 out of bounds [0, -1) at 1:1"],
    ["event.data.rule + 1 == 2", { event }, "EvaluationError", "found no matching overload for '_+_' applied to '(string, int)' at 1:17"],
    ["1 / (event.data.output_fields['user.uid'])", { event }, "EvaluationError", "int divide by zero at 1:2"],
    ["9223372036854775807 + event.data.output_fields['proc.tty'] > 0", { event }, "EvaluationError", "int overflow during _+_ at 1:20"],
    ["event.type == 'x'", {}, "MissingVariable", "variable 'event' was not provided"],
    ["incident.state == 'Open'", { event }, "MissingVariable", "variable 'incident' was not provided"],
    ["event.f == 1", { event: { f: () => 1 } }, "UnrepresentableValue", "event.f: a function has no CEL form"],
    ["event.d == 1", { event: { d: new Date(0) } }, "UnrepresentableValue", "event.d: only plain objects, arrays and scalars have a CEL form"],
    ["event.n == 1", { event: { n: 2n ** 64n } }, "UnrepresentableValue", "event.n: integer 18446744073709551616 is outside the int64 range"],
  ])("%s", (source, variables, reason, message) => {
    const context = source.startsWith("incident") ? "step" : "trigger";
    expect(evaluate(program(source, context), variables)).toEqual({ ok: false, reason, message });
  });

  it("guards presence with has(), which never fails on a missing field", () => {
    const guarded = program("has(event.data.missing) && event.data.missing == 'x'");
    expect(evaluateBool(guarded, { event })).toEqual({ ok: true, value: false });
    expect(evaluateBool(guarded, { event: { data: { missing: "x" } } })).toEqual({ ok: true, value: true });
  });

  it("reports has() false for a key whose value is null (the engine's reading of JSON null)", () => {
    expect(evaluateBool(program("has(event.data.output_fields.gone)"), { event })).toEqual({ ok: true, value: false });
    expect(evaluateBool(program("event.data.output_fields.gone == null"), { event })).toEqual({ ok: true, value: true });
  });

  it("rejects nesting deeper than the input limit (and so any cycle)", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const result = evaluate(program("has(event.self)"), { event: cyclic });
    expect(result).toMatchObject({ ok: false, reason: "UnrepresentableValue" });
    expect(!result.ok && result.message).toMatch(/^nesting deeper than 64 levels at event\.self\.self/);
  });

  it("escapes and bounds messages that quote alert data", () => {
    const hostile = `\u202e${"x".repeat(1000)}\u0000`;
    const result = evaluate(program("int(event.s) > 0"), { event: { s: hostile } });
    expect(result).toMatchObject({ ok: false, reason: "EvaluationError" });
    const message = result.ok ? "" : result.message;
    expect(message).toContain("\\u202e");
    expect(message).not.toContain("\u202e");
    expect(message.length).toBeLessThanOrEqual(300);
  });
});

describe("typed evaluation", () => {
  it.each<[string, "bool" | "string", unknown]>([
    ["event.severity == 'high'", "bool", { ok: true, value: true }],
    ["event.severity", "bool", { ok: false, reason: "ResultTypeMismatch", message: "expected a bool result, got string" }],
    ["event.data.tags", "bool", { ok: false, reason: "ResultTypeMismatch", message: "expected a bool result, got list" }],
    ["event.source + '|' + event.type", "string", { ok: true, value: "falco://worker-2|falco.alert" }],
    ["event.data.output_fields['proc.tty']", "string", { ok: false, reason: "ResultTypeMismatch", message: "expected a string result, got int" }],
    ["null", "string", { ok: false, reason: "ResultTypeMismatch", message: "expected a string result, got null_type" }],
  ])("%s as %s", (source, type, expected) => {
    const compiled = program(source);
    const result = type === "bool" ? evaluateBool(compiled, { event }) : evaluateString(compiled, { event });
    expect(result).toEqual(expected);
  });
});

describe("results as JSON", () => {
  it.each<[string, unknown]>([
    ["9007199254740991", { ok: true, value: 9007199254740991 }],
    ["9007199254740992", { ok: false, reason: "UnrepresentableValue", message: "result: int 9007199254740992 is beyond the integers JSON numbers hold exactly; convert it with string()" }],
    ["string(9223372036854775807)", { ok: true, value: "9223372036854775807" }],
    ["18446744073709551615u", { ok: false, reason: "UnrepresentableValue", message: "result: uint 18446744073709551615 is beyond the integers JSON numbers hold exactly; convert it with string()" }],
    ["42u", { ok: true, value: 42 }],
    ["1.0 / 0.0", { ok: false, reason: "UnrepresentableValue", message: "result: double Infinity has no JSON form" }],
    ["[1, 'a', null, [true]]", { ok: true, value: [1, "a", null, [true]] }],
    ["{1: 'int key', true: 'bool key'}", { ok: true, value: { "1": "int key", true: "bool key" } }],
    ["timestamp('2024-01-01T00:00:00Z') + duration('90m')", { ok: true, value: "2024-01-01T01:30:00Z" }],
    ["duration('90m')", { ok: true, value: "5400s" }],
    ["b'abc'", { ok: true, value: "abc" }],
    ["type(1)", { ok: false, reason: "UnrepresentableValue", message: "result: a value of type type has no JSON form" }],
  ])("%s", (source, expected) => {
    expect(evaluate(program(source), { event })).toEqual(expected);
  });

  it("keeps a '__proto__' key as data, in both directions", () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const result = evaluate(program("event"), { event: input });
    expect(result.ok && Object.keys(result.value as object)).toEqual(["__proto__", "x"]);
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(evaluate(program("event['__proto__'].polluted"), { event: input })).toEqual({ ok: true, value: true });
  });

  it("reads a key named 'constructor' as data", () => {
    const input = JSON.parse('{"constructor": "x", "toString": 1}') as Record<string, unknown>;
    expect(evaluate(program("event.constructor + string(event.toString)"), { event: input })).toEqual({ ok: true, value: "x1" });
  });
});

describe("prepared variables", () => {
  it("convert once and serve many programs", () => {
    const prepared = prepareVariables({ event, incident, steps });
    if (!prepared.ok) throw new Error(prepared.message);
    expect(evaluateBool(program("event.severity == 'high'"), prepared.value)).toEqual({ ok: true, value: true });
    expect(evaluateString(program("incident.state", "step"), prepared.value)).toEqual({ ok: true, value: "Open" });
  });

  it("do not see later changes to the source objects", () => {
    const source = { severity: "high" };
    const prepared = prepareVariables({ event: source });
    if (!prepared.ok) throw new Error(prepared.message);
    source.severity = "low";
    expect(evaluateString(program("event.severity"), prepared.value)).toEqual({ ok: true, value: "high" });
  });

  it("report the first value without a CEL form", () => {
    expect(prepareVariables({ event: { list: [1, Symbol("s")] } })).toEqual({
      ok: false,
      reason: "UnrepresentableValue",
      message: "event.list[1]: a symbol has no CEL form",
    });
  });

  it("skip undefined entries as JSON does", () => {
    expect(evaluateBool(program("has(event.a)"), { event: { a: undefined } })).toEqual({ ok: true, value: false });
  });
});
