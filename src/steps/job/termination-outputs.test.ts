import { describe, expect, it } from "vitest";
import { MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../../api/v1alpha1/bounds.ts";
import { MAX_RAW_MESSAGE_LENGTH, outputsFromTerminationMessage } from "./termination-outputs.ts";

const manyKeys = JSON.stringify(Object.fromEntries(Array.from({ length: MAX_OUTPUTS + 2 }, (_, i) => [`k${i}`, "v"])));

describe("outputsFromTerminationMessage", () => {
  it.each([
    { name: "absent message", message: undefined, outputs: {}, note: undefined },
    { name: "blank message", message: "  \n", outputs: {}, note: undefined },
    { name: "object of strings", message: '{"verdict":"malicious","sha":"abc"}', outputs: { verdict: "malicious", sha: "abc" }, note: undefined },
    {
      name: "numbers, booleans, null and nested values",
      message: '{"n":3,"f":1.5,"b":true,"z":null,"o":{"a":[1]}}',
      outputs: { n: "3", f: "1.5", b: "true", z: "", o: '{"a":[1]}' },
      note: undefined,
    },
    {
      name: "credentials redacted, whole under a credential name",
      message: '{"api_token":"t0k","log":"GITHUB_TOKEN=ghp_x"}',
      outputs: { api_token: "[REDACTED]", log: "GITHUB_TOKEN=[REDACTED]" },
      note: undefined,
    },
    {
      name: "credentials in a raw message redacted",
      message: "login --password hunter2 ok",
      outputs: { message: "login --password [REDACTED] ok" },
      note: 'termination message is not a JSON object; kept as the output "message"',
    },
    {
      name: "invalid JSON is kept raw",
      message: "scan finished: clean",
      outputs: { message: "scan finished: clean" },
      note: 'termination message is not a JSON object; kept as the output "message"',
    },
    {
      name: "a JSON array is kept raw",
      message: "[1,2]",
      outputs: { message: "[1,2]" },
      note: 'termination message is not a JSON object; kept as the output "message"',
    },
    {
      name: "invalid keys are dropped",
      message: '{"ok":"1","bad key":"2","":"3"}',
      outputs: { ok: "1" },
      note: `2 output key(s) dropped (invalid name or more than ${MAX_OUTPUTS})`,
    },
    {
      name: "a __proto__ key is plain data",
      message: '{"__proto__":"x"}',
      outputs: Object.fromEntries([["__proto__", "x"]]),
      note: undefined,
    },
  ])("$name", ({ message, outputs, note }) => {
    const result = outputsFromTerminationMessage(message);
    expect(result.outputs).toEqual(outputs);
    expect(result.note).toBe(note);
  });

  it("keeps at most MAX_OUTPUTS keys", () => {
    const result = outputsFromTerminationMessage(manyKeys);
    expect(Object.keys(result.outputs)).toHaveLength(MAX_OUTPUTS);
    expect(result.note).toContain("2 output key(s) dropped");
  });

  it("cuts long values and long raw messages", () => {
    const long = "x".repeat(MAX_OUTPUT_VALUE_LENGTH + 10);
    const cut = outputsFromTerminationMessage(JSON.stringify({ long }));
    expect(cut.outputs["long"]).toHaveLength(MAX_OUTPUT_VALUE_LENGTH);
    expect(cut.note).toBe(`1 output value(s) cut at ${MAX_OUTPUT_VALUE_LENGTH} characters`);
    const raw = outputsFromTerminationMessage("y".repeat(MAX_RAW_MESSAGE_LENGTH * 2));
    expect(raw.outputs["message"]).toHaveLength(MAX_RAW_MESSAGE_LENGTH);
  });

  it("does not touch Object.prototype", () => {
    outputsFromTerminationMessage('{"__proto__":{"polluted":"yes"}}');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
