import { describe, expect, it } from "vitest";
import { parseTemplate, type TemplatePart } from "./template-syntax.ts";

const text = (value: string): TemplatePart => ({ kind: "text", text: value });
const expression = (source: string, index: number, offset: number): TemplatePart => ({
  kind: "expression",
  source,
  index,
  offset,
});

describe("parseTemplate", () => {
  it.each<[string, string, TemplatePart[]]>([
    ["plain text", "no expressions here", [text("no expressions here")]],
    ["empty string", "", []],
    ["one expression", "${{ event.type }}", [expression(" event.type ", 0, 3)]],
    [
      "several segments",
      "pod ${{ a }} in ${{b}}!",
      [text("pod "), expression(" a ", 0, 7), text(" in "), expression("b", 1, 19), text("!")],
    ],
    ["escaped opener", "literal $${{ not.an.expr }}", [text("literal ${{ not.an.expr }}")]],
    ["escape next to a segment", "$${{x}} ${{ y }}", [text("${{x}} "), expression(" y ", 0, 11)]],
    ["lone dollars", "$5 and $ and ${x}", [text("$5 and $ and ${x}")]],
    ["closing braces inside a string literal", "${{ 'a}}b' + \"}}\" }}", [expression(" 'a}}b' + \"}}\" ", 0, 3)]],
    ["nested map literal", '${{ {"a": {"b": 1}} }}', [expression(' {"a": {"b": 1}} ', 0, 3)]],
    ["triple-quoted string", "${{ '''x}}''' }}", [expression(" '''x}}''' ", 0, 3)]],
    ["escaped quote in a string", "${{ 'it\\'s}}' }}", [expression(" 'it\\'s}}' ", 0, 3)]],
    ["raw string ends at the first quote", "${{ r'\\' }}", [expression(" r'\\' ", 0, 3)]],
  ])("%s", (_name, template, parts) => {
    expect(parseTemplate(template)).toEqual({ ok: true, parts });
  });

  it.each<[string, string, number, number]>([
    ["unclosed", "a ${{ event.type", 0, 5],
    ["second segment unclosed", "${{ a }} ${{ b } ", 1, 12],
    ["closing braces only inside a string", "${{ 'x}}", 0, 3],
    ["comment swallows the closing braces", "${{ a // note }}", 0, 3],
  ])("rejects %s", (_name, template, segmentIndex, offset) => {
    expect(parseTemplate(template)).toEqual({
      ok: false,
      message: `template segment ${segmentIndex} (offset ${offset}): '\${{' is not closed by '}}'`,
      segmentIndex,
      offset,
    });
  });
});
