import { describe, expect, it } from "vitest";
import { progressLine, progressLog } from "./progress-log.ts";

describe("progressLine", () => {
  it.each([
    { fields: {}, message: "stopped", expected: "[local] stopped" },
    { fields: { pod: "batch/report-gen", node: "kwok-node-0" }, message: "target pod running", expected: "[local] target pod running pod=batch/report-gen node=kwok-node-0" },
    { fields: { message: "has spaces", empty: "" }, message: "playbook reconciled", expected: '[local] playbook reconciled message="has spaces" empty=""' },
    { fields: { ms: 910, ok: true, missing: undefined, list: ["a", "b"] }, message: "component ready", expected: '[local] component ready ms=910 ok=true missing=undefined list=["a","b"]' },
  ])("$expected", ({ fields, message, expected }) => {
    expect(progressLine(fields, message)).toBe(expected);
  });

  it("writes one line per call through the given writer", () => {
    const lines: string[] = [];
    progressLog((line) => lines.push(line)).info({ ms: 5 }, "component ready");
    expect(lines).toEqual(["[local] component ready ms=5"]);
  });
});
