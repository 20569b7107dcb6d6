import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "./types.generated.ts";
import { MAX_MESSAGE_LENGTH } from "./bounds.ts";
import { MAX_TIMELINE_ENTRIES } from "./schema/incident.ts";
import { appendTimeline, timelineEntry } from "./timeline.ts";

const at = new Date("2026-01-01T00:00:00.000Z");
const entry = (index: number): TimelineEntry => ({ time: at.toISOString(), type: "Normal", reason: "StepStarted", message: `m${index}` });
const entries = (from: number, count: number): TimelineEntry[] => Array.from({ length: count }, (_, i) => entry(from + i));

describe("appendTimeline", () => {
  it.each([
    { name: "appends to nothing", current: undefined, added: entries(0, 2), first: "m0", length: 2 },
    { name: "keeps everything under the bound", current: entries(0, 98), added: entries(98, 2), first: "m0", length: 100 },
    { name: "drops the oldest past the bound", current: entries(0, 100), added: entries(100, 3), first: "m3", length: MAX_TIMELINE_ENTRIES },
    { name: "keeps only the newest of a huge batch", current: entries(0, 10), added: entries(10, 250), first: "m160", length: MAX_TIMELINE_ENTRIES },
  ])("$name", ({ current, added, first, length }) => {
    const result = appendTimeline(current, added);
    expect(result).toHaveLength(length);
    expect(result[0]?.message).toBe(first);
    expect(result.at(-1)).toEqual(added.at(-1));
  });

  it("does not mutate its input", () => {
    const current = entries(0, 100);
    appendTimeline(current, entries(100, 1));
    expect(current).toHaveLength(100);
  });
});

describe("timelineEntry", () => {
  it("bounds the message and keeps playbook and step", () => {
    const result = timelineEntry({ type: "Warning", reason: "StepFailed", message: "x".repeat(5000), playbook: "pb", step: "s" }, at);
    expect(result.message).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(result).toMatchObject({ time: at.toISOString(), type: "Warning", reason: "StepFailed", playbook: "pb", step: "s" });
  });
});
