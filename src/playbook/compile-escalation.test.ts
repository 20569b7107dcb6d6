import { describe, expect, it } from "vitest";
import type { PlaybookEscalation } from "../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler, renderTemplate } from "../expr/index.ts";
import { aPlaybook } from "../testing/objects.ts";
import { compilePlaybook } from "./compile-playbook.ts";

const expressions = createExpressionCompiler();

function compile(escalation: PlaybookEscalation) {
  return compilePlaybook(aPlaybook({ spec: { steps: [{ name: "tell", notify: { connector: "chat", message: "m" } }], escalation } }), expressions);
}

describe("compileEscalation", () => {
  it("compiles levels with their durations, Connectors, messages and severities, and lists the Connectors as references", () => {
    const compiled = compile({
      severities: ["high", "critical"],
      levels: [
        { after: "5m", connector: "pager", message: "page: ${{ incident.title }} (${{ event.type }})", rawMarkup: true },
        { after: "1h30m", connector: "manager" },
      ],
    });
    expect(compiled.problems).toEqual([]);
    expect(compiled.escalation?.severities).toEqual(new Set(["high", "critical"]));
    expect(compiled.escalation?.levels.map(({ level, after, afterMs, connector, rawMarkup }) => ({ level, after, afterMs, connector, rawMarkup }))).toEqual([
      { level: 1, after: "5m", afterMs: 300_000, connector: "pager", rawMarkup: true },
      { level: 2, after: "1h30m", afterMs: 5_400_000, connector: "manager", rawMarkup: false },
    ]);
    expect(compiled.connectorRefs).toEqual([
      { field: "spec.steps[0].notify.connector", name: "chat" },
      { field: "spec.escalation.levels[0].connector", name: "pager" },
      { field: "spec.escalation.levels[1].connector", name: "manager" },
    ]);
  });

  it("gives a level without a message the default one, which names the Incident and how long it waited", () => {
    const level = compile({ levels: [{ after: "15m", connector: "pager" }] }).escalation?.levels[0];
    const incident = { namespace: "shop", name: "miner-1", severity: "high", title: "Crypto miner" };
    expect(level === undefined ? undefined : renderTemplate(level.message, { event: {}, incident })).toEqual({
      ok: true,
      value: "Incident shop/miner-1 (high) not acknowledged after 15m: Crypto miner",
    });
  });

  it.each([
    {
      name: "a level not later than the one before",
      levels: [{ after: "10m", connector: "a" }, { after: "600s", connector: "b" }],
      problem: { field: "spec.escalation.levels[1].after", message: "600s must be longer than levels[0].after (10m): every level's after counts from the Incident's opening", reason: "InvalidSpec" },
    },
    {
      name: "a zero duration",
      levels: [{ after: "0s", connector: "a" }],
      problem: { field: "spec.escalation.levels[0].after", message: '"0s" is not a positive duration such as 15m or 1h30m', reason: "InvalidSpec" },
    },
    {
      name: "a message reading steps, which an escalation does not have",
      levels: [{ after: "1m", connector: "a", message: "${{ steps.scan.outputs.verdict }}" }],
      problem: {
        field: "spec.escalation.levels[0].message",
        message: "template segment 0 (offset 3): undeclared reference to 'steps' at 1:2 (escalation expressions may use: event, incident)",
        reason: "InvalidExpression",
      },
    },
    {
      name: "more levels than allowed",
      levels: [{ after: "1m", connector: "a" }, { after: "2m", connector: "a" }, { after: "3m", connector: "a" }, { after: "4m", connector: "a" }],
      problem: { field: "spec.escalation.levels", message: "between 1 and 3 levels are required; found 4", reason: "InvalidSpec" },
    },
  ])("refuses $name, naming the field, and keeps no half-compiled escalation", ({ levels, problem }) => {
    const compiled = compile({ levels });
    expect(compiled.problems).toEqual([problem]);
    expect(compiled.escalation).toBeUndefined();
  });
});
