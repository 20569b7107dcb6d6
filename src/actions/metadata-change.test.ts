import { describe, expect, it } from "vitest";
import { parseRecordedValues, planMetadataChange, planMetadataRevert, serializeRecordedValues } from "./metadata-change.ts";

describe("planMetadataChange", () => {
  it.each([
    {
      name: "new key and changed key",
      current: { team: "web", tier: "front" },
      recorded: {},
      requested: { tier: "quarantine", incident: "inc-1" },
      expected: {
        changed: true,
        set: { tier: "quarantine", incident: "inc-1" },
        recorded: { tier: "front", incident: null },
        previous: { tier: "front" },
        previouslyAbsent: ["incident"],
      },
    },
    {
      name: "re-run after a crash: values already set, earlier ones come from the marker",
      current: { team: "web", tier: "quarantine", incident: "inc-1" },
      recorded: { tier: "front", incident: null },
      requested: { tier: "quarantine", incident: "inc-1" },
      expected: {
        changed: false,
        set: {},
        recorded: { tier: "front", incident: null },
        previous: { tier: "front" },
        previouslyAbsent: ["incident"],
      },
    },
    {
      name: "value already there before kube-soar: nothing to restore later",
      current: { tier: "quarantine" },
      recorded: {},
      requested: { tier: "quarantine" },
      expected: { changed: false, set: {}, recorded: {}, previous: { tier: "quarantine" }, previouslyAbsent: [] },
    },
    {
      name: "second change of a key keeps the first earlier value",
      current: { tier: "quarantine" },
      recorded: { tier: "front" },
      requested: { tier: "isolated" },
      expected: { changed: true, set: { tier: "isolated" }, recorded: { tier: "front" }, previous: { tier: "front" }, previouslyAbsent: [] },
    },
  ])("$name", ({ current, recorded, requested, expected }) => {
    expect(planMetadataChange(current, recorded, requested)).toEqual(expected);
  });
});

describe("planMetadataRevert", () => {
  it.each([
    {
      name: "restores earlier values and removes added keys",
      current: { team: "web", tier: "quarantine", incident: "inc-1" },
      recorded: { tier: "front", incident: null, other: "x" },
      undo: { applied: { tier: "quarantine", incident: "inc-1" }, previous: { tier: "front" }, previouslyAbsent: ["incident"] },
      expected: { patch: { tier: "front", incident: null }, recorded: { other: "x" }, restored: ["tier", "incident"], leftAlone: [] },
    },
    {
      name: "leaves keys someone changed since",
      current: { tier: "manual" },
      recorded: { tier: "front" },
      undo: { applied: { tier: "quarantine" }, previous: { tier: "front" }, previouslyAbsent: [] },
      expected: { patch: {}, recorded: {}, restored: [], leftAlone: ["tier"] },
    },
    {
      name: "a value that was already there is not touched",
      current: { tier: "quarantine" },
      recorded: {},
      undo: { applied: { tier: "quarantine" }, previous: { tier: "quarantine" }, previouslyAbsent: [] },
      expected: { patch: {}, recorded: {}, restored: [], leftAlone: [] },
    },
    {
      name: "a second undo finds nothing to do",
      current: { tier: "front" },
      recorded: {},
      undo: { applied: { tier: "quarantine" }, previous: { tier: "front" }, previouslyAbsent: [] },
      expected: { patch: {}, recorded: {}, restored: [], leftAlone: ["tier"] },
    },
  ])("$name", ({ current, recorded, undo, expected }) => {
    expect(planMetadataRevert(current, recorded, undo)).toEqual(expected);
  });
});

describe("recorded values marker", () => {
  it.each([
    [undefined, {}],
    ["not json", {}],
    ["[1,2]", {}],
    ['{"a":"x","b":null,"c":3}', { a: "x", b: null }],
  ])("parses %j", (json, expected) => {
    expect(parseRecordedValues(json)).toEqual(expected);
  });

  it("serialises, and removes an empty marker", () => {
    expect(serializeRecordedValues({ a: null })).toBe('{"a":null}');
    expect(serializeRecordedValues({})).toBeNull();
  });
});
