import { describe, expect, it } from "vitest";
import type { Alert } from "../ingest/alert.ts";
import { alertProblems } from "./ingest.ts";

const valid: Alert = {
  id: "1",
  source: "//s",
  type: "t",
  time: "2026-11-28T00:00:00Z",
  specversion: "1.0",
  kind: "cloudevent",
  status: "firing",
  severity: "high",
  title: "A title",
  fingerprint: "0".repeat(64),
  resources: { pod: "web-0" },
  observables: [{ type: "ip", value: "10.0.0.1" }],
  labels: { a: "b" },
  extensions: {},
  data: null,
  dataTruncated: false,
};

describe("alertProblems", () => {
  it("finds nothing wrong with a valid alert", () => {
    expect(alertProblems(valid)).toEqual([]);
  });

  it.each([
    ["an empty id", { id: "" }, "id must"],
    ["a NUL in the source", { source: "a\u0000" }, "source must"],
    ["an empty subject", { subject: "" }, "subject must"],
    ["a bad time", { time: "now" }, "time must"],
    ["an unknown kind", { kind: "other" }, "kind is"],
    ["an unknown status", { status: "open" }, "status must"],
    ["an unknown severity", { severity: "severe" }, "severity is"],
    ["a bidi character in the title", { title: "a\u202eb" }, "title must"],
    ["a long title", { title: "x".repeat(257) }, "title must"],
    ["a short fingerprint", { fingerprint: "abc" }, "fingerprint must"],
    ["an invalid pod name", { resources: { pod: "a b" } }, "resources must"],
    ["an invalid observable", { observables: [{ type: "ip", value: "nope" }] }, "observable ip"],
    ["a duplicated observable", { observables: [valid.observables[0], valid.observables[0]] }, "duplicated"],
    ["too many observables", { observables: Array.from({ length: 33 }, (_, index) => ({ type: "ip", value: `10.0.0.${index}` })) }, "at most"],
    ["a non-string label", { labels: { a: 1 } }, "labels values"],
    ["absent data", { data: undefined }, "data must be null"],
    ["oversized data", { data: "x".repeat(70_000) }, "data must fit"],
  ])("reports %s", (_name, change, problem) => {
    const alert = { ...valid, ...change } as unknown as Alert;
    expect(alertProblems(alert).some((text) => text.includes(problem))).toBe(true);
  });
});
