import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createExpressionCompiler } from "./compiler.ts";
import { compileTemplate, joinRendered, renderTemplate, renderTemplateText, renderValue, type CompiledTemplate } from "./templates.ts";

const compiler = createExpressionCompiler();
const hostile = JSON.parse(
  readFileSync(new URL("../../../shared/fixtures/falco/hostile-fields.json", import.meta.url), "utf8"),
) as { output_fields: Record<string, string> };

const event = {
  type: "falco.alert",
  severity: "high",
  data: { rule: "Terminal shell in container", output_fields: { "k8s.ns.name": "shop", "proc.tty": 34816 } },
  tags: ["a", "b"],
  ratio: 0.25,
};
const incident = { name: "inc-1", occurrences: 3, resources: { namespace: "shop" } };
const steps = { isolate: { outputs: { policy: "deny-all" } } };
const variables = { event, incident, steps };

function template(text: string): CompiledTemplate {
  const result = compileTemplate(compiler, text);
  if (!result.ok) throw new Error(`test template does not compile: ${result.message}`);
  return result.template;
}

describe("renderTemplate", () => {
  it.each<[string, string]>([
    ["no expressions", "no expressions"],
    ["${{ event.data.rule }} in ${{ event.data.output_fields['k8s.ns.name'] }}", "Terminal shell in container in shop"],
    ["tty=${{ event.data.output_fields['proc.tty'] }}", "tty=34816"],
    ["ratio=${{ event.ratio }} half=${{ 1.5 }}", "ratio=0.25 half=1.5"],
    ["flag=${{ event.severity == 'high' }}", "flag=true"],
    ["none=${{ null }}", "none=null"],
    ["tags=${{ event.tags }}", 'tags=["a","b"]'],
    ["resources=${{ incident.resources }}", 'resources={"namespace":"shop"}'],
    ["policy=${{ steps.isolate.outputs.policy }} x${{ incident.occurrences }}", "policy=deny-all x3"],
    ["at ${{ timestamp('2024-01-01T00:00:00Z') }}", "at 2024-01-01T00:00:00Z"],
    ["cost: $${{ not evaluated }} and $5", "cost: ${{ not evaluated }} and $5"],
  ])("%s", (text, expected) => {
    expect(renderTemplate(template(text), variables)).toEqual({ ok: true, value: expected });
  });

  it.each(Object.keys(hostile.output_fields))("inserts the hostile field %s as inert text", (field) => {
    const rendered = renderTemplate(template(`value: \${{ event.output_fields[${JSON.stringify(field)}] }}`), {
      event: hostile,
    });
    expect(rendered).toEqual({ ok: true, value: `value: ${hostile.output_fields[field] ?? ""}` });
  });

  it("never re-parses a value that looks like a template", () => {
    const rendered = renderTemplate(template("user=${{ event.output_fields['user.name'] }}"), { event: hostile });
    expect(rendered).toEqual({ ok: true, value: "user=${{ event.data }}" });
  });

  it("reports the failing segment", () => {
    expect(renderTemplate(template("ok ${{ event.type }} then ${{ event.missing }}"), variables)).toEqual({
      ok: false,
      reason: "EvaluationError",
      message: "template segment 1: field not found: missing at 1:7",
    });
  });

  it("reports values without a string form", () => {
    expect(renderTemplate(template("t=${{ type(1) }}"), variables)).toEqual({
      ok: false,
      reason: "UnrepresentableValue",
      message: "template segment 0: value: a value of type type has no string form",
    });
  });

  it("shares one cost budget across segments", () => {
    const tight = createExpressionCompiler({ limits: { costLimit: 30 } });
    const segment = "${{ event.l.all(x, x >= 0) }}";
    const one = compileTemplate(tight, segment);
    const three = compileTemplate(tight, `${segment} ${segment} ${segment}`);
    if (!one.ok || !three.ok) throw new Error("test templates do not compile");
    const input = { event: { l: Array.from({ length: 10 }, (_, i) => i) } };
    expect(renderTemplate(one.template, input)).toEqual({ ok: true, value: "true" });
    expect(renderTemplate(three.template, input)).toMatchObject({ ok: false, reason: "CostLimitExceeded" });
  });
});

describe("renderValue", () => {
  it.each<[string, unknown]>([
    ["${{ incident.occurrences }}", 3],
    ["${{ event.severity == 'high' }}", true],
    ["${{ event.tags }}", ["a", "b"]],
    ["${{ incident.resources }}", { namespace: "shop" }],
    ["${{ null }}", null],
    [" ${{ incident.occurrences }}", " 3"],
    ["${{ incident.occurrences }}${{ incident.occurrences }}", "33"],
    ["plain", "plain"],
  ])("%s", (text, expected) => {
    expect(renderValue(template(text), variables)).toEqual({ ok: true, value: expected });
  });

  it("fails with the segment when the typed value has no JSON form", () => {
    expect(renderValue(template("${{ 9223372036854775807 }}"), variables)).toEqual({
      ok: false,
      reason: "UnrepresentableValue",
      message:
        "template segment 0: value: int 9223372036854775807 is beyond the integers JSON numbers hold exactly; convert it with string()",
    });
  });
});

describe("compileTemplate", () => {
  it.each<[string, string, number | undefined, number | undefined]>([
    ["a ${{ evnt.type }}", "template segment 0 (offset 5): undeclared reference to 'evnt' at 1:2 (step expressions may use: event, incident, steps)", 0, 5],
    ["${{ event.a }} and ${{ event.b == }}", "template segment 1 (offset 22): syntax error at 1:10: found = but expecting end of input", 1, 22],
    ["${{ }}", "template segment 0 (offset 3): expression is empty", 0, 3],
    ["${{ event.a", "template segment 0 (offset 3): '${{' is not closed by '}}'", 0, 3],
    ["x".repeat(65_537), "template is 65537 bytes long; the limit is 65536", undefined, undefined],
    ["${{ 1 }}".repeat(65), "template has more than 64 '${{ }}' segments", undefined, undefined],
  ])("rejects %#", (text, message, segmentIndex, offset) => {
    const result = compileTemplate(compiler, text);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ message });
    expect(result.ok ? undefined : result.segmentIndex).toBe(segmentIndex);
    expect(result.ok ? undefined : result.offset).toBe(offset);
  });

  it("compiles in the context it is given", () => {
    expect(compileTemplate(compiler, "${{ incident.name }}", "trigger")).toMatchObject({
      ok: false,
      message: "template segment 0 (offset 3): undeclared reference to 'incident' at 1:2 (trigger expressions may use: event)",
    });
  });

  it("shares compiled segments through the compiler cache", () => {
    const cached = createExpressionCompiler();
    const programs = ["a ${{ event.type }} b", "c ${{ event.type }} d"].map((text) => {
      const result = compileTemplate(cached, text);
      const part = result.ok ? result.template.parts[1] : undefined;
      return part?.kind === "expression" ? part.program : undefined;
    });
    expect(programs[0]).toBeDefined();
    expect(programs[0]).toBe(programs[1]);
    expect(cached.cacheSize).toBe(1);
  });
});

describe("renderTemplateText", () => {
  it("keeps the template's text and the inserted values apart", () => {
    const rendered = renderTemplateText(template("<b>${{ event.data.rule }}</b> x${{ incident.occurrences }}"), variables);
    expect(rendered).toEqual({
      ok: true,
      value: [
        { text: "<b>", inserted: false },
        { text: "Terminal shell in container", inserted: true },
        { text: "</b> x", inserted: false },
        { text: "3", inserted: true },
      ],
    });
    expect(rendered.ok && joinRendered(rendered.value, (value) => `[${value}]`)).toBe("<b>[Terminal shell in container]</b> x[3]");
    expect(rendered.ok && joinRendered(rendered.value)).toBe("<b>Terminal shell in container</b> x3");
  });
});
