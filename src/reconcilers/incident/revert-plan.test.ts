import { describe, expect, it } from "vitest";
import type { PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { pendingUndos } from "./revert-plan.ts";

const undo = (node: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ action: "cordonNode", node, ...extra });

describe("pendingUndos", () => {
  it.each<{ name: string; runs: PlaybookRun[]; expected: string[] }>([
    {
      name: "latest finished first",
      runs: [
        {
          name: "pb",
          phase: "Succeeded",
          steps: [
            { name: "a", phase: "Succeeded", finishedAt: "2026-03-01T12:00:00Z", undo: undo("a") },
            { name: "b", phase: "Succeeded", finishedAt: "2026-03-01T12:05:00Z", undo: undo("b") },
            { name: "c", phase: "Succeeded", finishedAt: "2026-03-01T12:01:00Z", undo: undo("c") },
          ],
        },
      ],
      expected: ["pb/b", "pb/c", "pb/a"],
    },
    {
      name: "ties: later run and step first",
      runs: [
        { name: "one", phase: "Succeeded", steps: [{ name: "a", phase: "Succeeded", finishedAt: "2026-03-01T12:00:00Z", undo: undo("a") }] },
        { name: "two", phase: "Succeeded", steps: [{ name: "a", phase: "Succeeded", finishedAt: "2026-03-01T12:00:00Z", undo: undo("a") }] },
      ],
      expected: ["two/a", "one/a"],
    },
    {
      name: "settled undos and steps without one are left out",
      runs: [
        {
          name: "pb",
          phase: "Succeeded",
          steps: [
            { name: "done", phase: "Succeeded", undo: undo("d", { revertedAt: "2026-03-01T12:10:00Z", reverted: true }) },
            { name: "retrying", phase: "Succeeded", undo: undo("r", { revertAttempts: 1 }) },
            { name: "plain", phase: "Succeeded" },
          ],
        },
      ],
      expected: ["pb/retrying"],
    },
  ])("$name", ({ runs, expected }) => {
    expect(pendingUndos(runs).map((pending) => `${pending.playbook}/${pending.step}`)).toEqual(expected);
  });

  it("counts earlier retryable failures", () => {
    const runs: PlaybookRun[] = [{ name: "pb", phase: "Succeeded", steps: [{ name: "a", phase: "Succeeded", undo: undo("a", { revertAttempts: 2 }) }] }];
    expect(pendingUndos(runs)[0]?.attempts).toBe(2);
  });
});
