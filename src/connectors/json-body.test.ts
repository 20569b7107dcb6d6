import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileTemplate, createExpressionCompiler, joinRendered } from "../expr/index.ts";
import { renderJsonBody } from "./json-body.ts";

const hostile = JSON.parse(readFileSync(new URL("../../../shared/fixtures/falco/hostile-fields.json", import.meta.url), "utf8")) as {
  output: string;
  output_fields: Record<string, string>;
};
const compiler = createExpressionCompiler();
const variables = { event: { data: hostile }, incident: { name: "inc-1", severity: "high", occurrences: 3 }, steps: {} };

function render(source: string): ReturnType<typeof renderJsonBody> {
  const compiled = compileTemplate(compiler, source);
  if (!compiled.ok) throw new Error(compiled.message);
  return renderJsonBody(compiled.template, variables);
}

describe("renderJsonBody", () => {
  it("inserts hostile fields as inert JSON values and strings, exactly", () => {
    const result = render(
      '{"output": ${{ event.data.output }}, "pod": "pod ${{ event.data.output_fields["k8s.pod.name"] }}!", "user": ${{ event.data.output_fields["user.name"] }}, "container": "${{ event.data.output_fields["container.name"] }}", "fields": ${{ event.data.output_fields }}}',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.parse(joinRendered(result.body))).toEqual({
      output: hostile.output,
      pod: `pod ${hostile.output_fields["k8s.pod.name"] ?? ""}!`,
      user: "${{ event.data }}",
      container: "{{ .Values.secret }}\n\u0000\u202e",
      fields: hostile.output_fields,
    });
  });

  it.each([
    ['{"n": ${{ incident.occurrences }}, "s": "${{ incident.occurrences }}"}', { n: 3, s: "3" }],
    ['{"quote \\" stays": "${{ incident.name }}"}', { 'quote " stays': "inc-1" }],
    ['["${{ incident.severity }}", ${{ incident.severity }}]', ["high", "high"]],
    ['{"literal": "$${{ not.evaluated }}"}', { literal: "${{ not.evaluated }}" }],
  ])("renders %s", (source, expected) => {
    const result = render(source);
    expect(result.ok && (JSON.parse(joinRendered(result.body)) as unknown)).toEqual(expected);
  });

  it.each([
    ['{"a": ${{ incident.name }', "is not closed"],
    ['{"a": "\\${{ incident.name }}"}', "body: template segment 0 follows a backslash inside a JSON string"],
    ["not json ${{ incident.name }}", "body: the rendered body is not valid JSON"],
    ['{"a": ${{ event.data.missing }}}', "body: template segment 0:"],
  ])("refuses %s", (source, message) => {
    const compiled = compileTemplate(compiler, source);
    const result = compiled.ok ? renderJsonBody(compiled.template, variables) : compiled;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});
