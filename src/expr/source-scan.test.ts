import { describe, expect, it } from "vitest";
import { bracketNesting, codeCharacters, lineColumn } from "./source-scan.ts";

describe("bracketNesting", () => {
  it.each<[string, number]>([
    ["a", 0],
    ["f(x)", 1],
    ["[{(1)}]", 3],
    ["(a)(b)((c))", 2],
    ["'((('", 0],
    ['"""((("""', 0],
    ["r'\\' + (1)", 1],
    ["'\\'(((' + (1)", 1],
    ["a // (((\n + (1)", 1],
    ["(((", 3],
    [")))(", 1],
  ])("%j nests %i deep", (source, depth) => {
    expect(bracketNesting(source)).toBe(depth);
  });
});

describe("codeCharacters", () => {
  it("stops at an unterminated string literal", () => {
    const source = "ab 'cd";
    expect([...codeCharacters(source)].map((index) => source.charAt(index)).join("")).toBe("ab ");
  });
});

describe("lineColumn", () => {
  it.each<[string, number, string]>([
    ["abc", 0, "1:1"],
    ["abc", 2, "1:3"],
    ["a\nbc", 3, "2:2"],
    ["a\n\nb", 3, "3:1"],
  ])("%j at %i is %s", (source, offset, expected) => {
    expect(lineColumn(source, offset)).toBe(expected);
  });
});
