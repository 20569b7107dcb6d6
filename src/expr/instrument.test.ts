import { parse, plan } from "@bufbuild/cel";
import { describe, expect, it } from "vitest";
import { createExpressionEnvironment } from "./environment.ts";
import { instrumentComprehensions } from "./instrument.ts";
import { maxNodeId } from "./syntax-tree.ts";
import { prepareVariables } from "./variables.ts";

describe("instrumentComprehensions", () => {
  const environment = createExpressionEnvironment();
  const variables = prepareVariables({ event: { l: Array.from({ length: 1000 }, (_, i) => i) } });
  if (!variables.ok) throw new Error(variables.message);

  function spentRunning(source: string, limit: number): number {
    const parsed = parse(source);
    instrumentComprehensions(parsed.expr);
    const evaluate = plan(environment.env, parsed);
    environment.meter.start(limit);
    evaluate(variables.ok ? variables.value.bindings() : {});
    return environment.meter.spent;
  }

  it.each<[string, number, number]>([
    ["event.l.all(x, true)", 1_000_000, 1000],
    ["event.l.all(x, true)", 10, 11],
    ["event.l.all(x, event.l.all(y, true))", 10, 12],
    ["event.l.map(x, x).size() > 0", 1_000_000, 503_502],
  ])("%s with a budget of %i spends %i units", (source, limit, spent) => {
    expect(spentRunning(source, limit)).toBe(spent);
  });

  it("gives new nodes ids above the existing ones", () => {
    const parsed = parse("[1, 2].exists(x, x > 1)");
    const before = maxNodeId(parsed.expr);
    instrumentComprehensions(parsed.expr);
    expect(maxNodeId(parsed.expr)).toBe(before + 1n);
  });
});
