import { describe, expect, it } from "vitest";
import { parseLabelSelector, selectorMatches, type LabelSelector } from "./label-selector.ts";

function parsed(text: string): LabelSelector {
  const result = parseLabelSelector(text);
  if (!result.ok) throw new Error(result.message);
  return result.selector;
}

describe("parseLabelSelector", () => {
  it("reads every requirement form, spaces around operators included", () => {
    expect(parsed(" node-role.kubernetes.io/control-plane, !spot ,tier=gold, zone == a, env!=dev, team in (red, blue), app notin(x)").requirements).toEqual([
      { key: "node-role.kubernetes.io/control-plane", operator: "exists" },
      { key: "spot", operator: "doesNotExist" },
      { key: "tier", operator: "equals", value: "gold" },
      { key: "zone", operator: "equals", value: "a" },
      { key: "env", operator: "notEquals", value: "dev" },
      { key: "team", operator: "in", values: ["red", "blue"] },
      { key: "app", operator: "notIn", values: ["x"] },
    ]);
  });

  it("keeps the text it parsed for messages", () => {
    expect(parsed("  a=b ").text).toBe("a=b");
  });

  it("reads the empty text as the selector without requirements", () => {
    expect(parsed("").requirements).toEqual([]);
  });

  it.each<[string, string]>([
    ["bad key!", 'requirement 1 ("bad key!"): expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)'],
    ["a,,b", 'requirement 2 (""): empty requirement'],
    ["-a", 'requirement 1 ("-a"): "-a" is not a valid label key'],
    ["a=b c", 'requirement 1 ("a=b c"): "b c" is not a valid label value (at most 63 letters, digits, \'-\', \'_\', \'.\')'],
    ["a in ()", 'requirement 1 ("a in ()"): in needs at least one value'],
    ["a in (b", "unbalanced or nested parentheses"],
    ["a in ((b))", "unbalanced or nested parentheses"],
    ["x, a notin (ok, no way)", 'requirement 2 ("a notin (ok, no way)"): "no way" is not a valid label value (at most 63 letters, digits, \'-\', \'_\', \'.\')'],
    ["!", 'requirement 1 ("!"): "" is not a valid label key'],
  ])("refuses %j naming the requirement", (text, message) => {
    expect(parseLabelSelector(text)).toEqual({ ok: false, message });
  });
});

describe("selectorMatches", () => {
  const labels = { "node-role.kubernetes.io/control-plane": "", zone: "a" };
  it.each<[string, boolean]>([
    ["node-role.kubernetes.io/control-plane", true],
    ["!node-role.kubernetes.io/control-plane", false],
    ["zone=a", true],
    ["zone=b", false],
    ["zone!=b", true],
    ["missing!=b", true],
    ["zone in (a,b)", true],
    ["missing in (a)", false],
    ["zone notin (a)", false],
    ["missing notin (a)", true],
    ["zone=a,missing", false],
    ["", true],
  ])("%j on a control-plane node in zone a: %s", (text, expected) => {
    expect(selectorMatches(parsed(text), labels)).toBe(expected);
  });
});
