import { describe, expect, it } from "vitest";
import { compiledPlaybook } from "../../testing/compiled-playbook.ts";
import { dueEscalationLevels } from "./escalation-due.ts";

const opened = new Date("2026-03-01T12:00:00.000Z");
const levels =
  compiledPlaybook([{ name: "notify", notify: { connector: "chat", message: "m" } }], {
    escalation: {
      levels: [
        { after: "5m", connector: "pager" },
        { after: "15m", connector: "pager-secondary" },
        { after: "1h", connector: "manager" },
      ],
    },
  }).escalation?.levels ?? [];

const minutes = (count: number): number => count * 60_000;
const at = (elapsedMs: number): Date => new Date(opened.getTime() + elapsedMs);

describe("dueEscalationLevels", () => {
  it.each([
    { name: "nothing before level 1, back when it falls due", now: at(minutes(2)), recorded: [], due: [], next: minutes(3) },
    { name: "level 1 exactly at its after", now: at(minutes(5)), recorded: [], due: [1], next: minutes(10) },
    { name: "level 1 once recorded, never again", now: at(minutes(6)), recorded: [1], due: [], next: minutes(9) },
    { name: "level 1 late when it was missed", now: at(minutes(14)), recorded: [], due: [1], next: minutes(1) },
    { name: "every level at once after a long outage, in order", now: at(minutes(90)), recorded: [], due: [1, 2, 3], next: undefined },
    { name: "only the levels not recorded", now: at(minutes(90)), recorded: [2], due: [1, 3], next: undefined },
    { name: "nothing more once every level is recorded", now: at(minutes(90)), recorded: [1, 2, 3], due: [], next: undefined },
    { name: "level 3 only once its after passed", now: at(minutes(59)), recorded: [1, 2], due: [], next: minutes(1) },
  ])("unacknowledged: $name", ({ now, recorded, due, next }) => {
    const decision = dueEscalationLevels({ openedAt: opened, acknowledged: false, levels, recorded: new Set(recorded), now });
    expect(decision.due.map((level) => level.level)).toEqual(due);
    expect(decision.nextInMs).toBe(next);
  });

  it.each([
    { name: "acknowledged before any level", acknowledged: true, openedAt: opened, now: at(minutes(2)) },
    { name: "acknowledged after level 1, with levels 2 and 3 overdue", acknowledged: true, openedAt: opened, now: at(minutes(90)) },
    { name: "whose opening is unknown", acknowledged: false, openedAt: undefined, now: at(minutes(90)) },
  ])("nothing is due and nothing awaited for an Incident $name", ({ acknowledged, openedAt, now }) => {
    expect(dueEscalationLevels({ openedAt, acknowledged, levels, recorded: new Set([1]), now })).toEqual({ due: [], nextInMs: undefined });
  });

  it("awaits nothing without an escalation", () => {
    expect(dueEscalationLevels({ openedAt: opened, acknowledged: false, levels: [], recorded: new Set(), now: at(minutes(90)) })).toEqual({ due: [], nextInMs: undefined });
  });
});
