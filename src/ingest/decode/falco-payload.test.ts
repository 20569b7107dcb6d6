import { describe, expect, it } from "vitest";
import { DEFAULT_DECODE_LIMITS } from "./decode-limits.ts";
import { normaliseFalcoSource, parseFalcoPayload } from "./falco-payload.ts";
import { RejectReason } from "../rejection.ts";

const valid = { output: "o", priority: "Notice", rule: "R", time: "2026-11-20T10:42:17Z" };

describe("parseFalcoPayload", () => {
  it("fills defaults for the optional members", () => {
    expect(parseFalcoPayload(valid, "", DEFAULT_DECODE_LIMITS)).toEqual({
      ok: true,
      value: { output: "o", priority: "Notice", rule: "R", time: "2026-11-20T10:42:17Z", source: "syscall", tags: [], outputFields: {} },
    });
  });

  it.each([
    ["notice", "Notice"],
    ["CRITICAL", "Critical"],
    ["info", "Informational"],
    ["Informational", "Informational"],
    ["emergency", "Emergency"],
    ["Debug", "Debug"],
  ])("reads priority %j as %s", (priority, expected) => {
    expect(parseFalcoPayload({ ...valid, priority }, "", DEFAULT_DECODE_LIMITS)).toMatchObject({ ok: true, value: { priority: expected } });
  });

  it.each([
    ["no rule", { ...valid, rule: undefined }, "rule"],
    ["an empty rule", { ...valid, rule: "" }, "rule"],
    ["a rule with a newline", { ...valid, rule: "a\nb" }, "rule"],
    ["an unknown priority", { ...valid, priority: "Apocalyptic" }, "priority"],
    ["a numeric priority", { ...valid, priority: 3 }, "priority"],
    ["no time", { ...valid, time: undefined }, "time"],
    ["a bad time", { ...valid, time: "10:42:17" }, "time"],
    ["no output", { ...valid, output: undefined }, "output"],
    ["a source with spaces", { ...valid, source: "sys call" }, "source"],
    ["a numeric hostname", { ...valid, hostname: 7 }, "hostname"],
    ["tags that are not strings", { ...valid, tags: ["a", 1] }, "tags[1]"],
    ["tags that are not an array", { ...valid, tags: "a,b" }, "tags"],
    ["output_fields that is an array", { ...valid, output_fields: [] }, "output_fields"],
  ])("rejects %s", (_name, value, field) => {
    const result = parseFalcoPayload(value, "", DEFAULT_DECODE_LIMITS);
    expect(result).toMatchObject({ ok: false, reason: RejectReason.InvalidFalco, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("names fields under the data prefix when the alert is CloudEvent data", () => {
    expect(parseFalcoPayload({ ...valid, rule: 1 }, "data", DEFAULT_DECODE_LIMITS)).toMatchObject({ field: "data.rule" });
    expect(parseFalcoPayload("x", "data", DEFAULT_DECODE_LIMITS)).toMatchObject({ field: "data" });
  });
});

describe("normaliseFalcoSource", () => {
  it.each([
    ["syscall", "syscall"],
    ["syscalls", "syscall"],
    ["Syscalls", "syscall"],
    ["k8s_audit", "k8s_audit"],
    ["k8saudit", "k8s_audit"],
    ["aws_cloudtrail", "aws_cloudtrail"],
  ])("%s is %s", (source, expected) => {
    expect(normaliseFalcoSource(source)).toBe(expected);
  });
});
