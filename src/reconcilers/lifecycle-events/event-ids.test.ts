import { describe, expect, it } from "vitest";
import { closingEventId, escalatedEventId, openedEventId, stepFinishedEventId, updatedEventId } from "./event-ids.ts";

describe("lifecycle event ids", () => {
  it.each([
    ["opened", openedEventId("u1"), "u1/opened"],
    ["updated", updatedEventId("u1", 7, "critical"), "u1/updated/7/critical"],
    ["escalated", escalatedEventId("u1", 2), "u1/escalated/2"],
    ["step finished", stepFinishedEventId("u1", "contain.pods", "isolate", 3), "u1/step/contain.pods/isolate/3/finished"],
    ["resolved", closingEventId("u1", "Resolved", 0), "u1/resolved"],
    ["closed", closingEventId("u1", "Closed", 0), "u1/closed"],
    ["resolved after one reopening", closingEventId("u1", "Resolved", 1), "u1/resolved/2"],
    ["closed after two reopenings", closingEventId("u1", "Closed", 2), "u1/closed/3"],
  ])("%s: %s", (_transition, id, expected) => {
    expect(id).toBe(expected);
  });

  it("gives distinct transitions distinct ids and the same transition the same id", () => {
    const ids = [
      openedEventId("u1"),
      openedEventId("u2"),
      updatedEventId("u1", 2, "high"),
      updatedEventId("u1", 3, "high"),
      updatedEventId("u1", 3, "critical"),
      stepFinishedEventId("u1", "pb", "a", 1),
      stepFinishedEventId("u1", "pb", "b", 1),
      stepFinishedEventId("u1", "other", "a", 1),
      closingEventId("u1", "Resolved", 0),
      closingEventId("u1", "Closed", 0),
      closingEventId("u1", "Resolved", 1),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(updatedEventId("u1", 3, "high")).toBe(updatedEventId("u1", 3, "high"));
  });
});
