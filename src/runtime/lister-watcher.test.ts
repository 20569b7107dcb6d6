import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeWatchLine, splitLines, WatchDecodeError } from "./lister-watcher.ts";

describe("decodeWatchLine", () => {
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns", resourceVersion: "7" } };

  it.each([
    { line: JSON.stringify({ type: "ADDED", object: cm }), expected: { type: "ADDED", object: cm } },
    { line: JSON.stringify({ type: "MODIFIED", object: cm }), expected: { type: "MODIFIED", object: cm } },
    { line: JSON.stringify({ type: "DELETED", object: cm }), expected: { type: "DELETED", object: cm } },
    {
      line: JSON.stringify({ type: "BOOKMARK", object: { kind: "ConfigMap", metadata: { resourceVersion: "42" } } }),
      expected: { type: "BOOKMARK", resourceVersion: "42" },
    },
    {
      line: JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" } }),
      expected: { type: "ERROR", code: 410, reason: "Expired", message: "too old resource version" },
    },
  ])("decodes $expected.type", ({ line, expected }) => {
    expect(decodeWatchLine(line)).toEqual(expected);
  });

  it.each([
    ["not json", /not valid JSON/],
    ["[1]", /watch event: expected an object/],
    [JSON.stringify({ type: "SURPRISE", object: {} }), /type: expected ADDED/],
    [JSON.stringify({ type: "ADDED", object: { metadata: { resourceVersion: "1" } } }), /object.metadata.name/],
    [JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } }), /object.metadata.resourceVersion/],
    [JSON.stringify({ type: "BOOKMARK", object: { metadata: {} } }), /object.metadata.resourceVersion/],
  ])("rejects %s", (line, message) => {
    expect(() => decodeWatchLine(line)).toThrow(WatchDecodeError);
    expect(() => decodeWatchLine(line)).toThrow(message);
  });
});

describe("splitLines", () => {
  it("reassembles lines split across chunks, including multi-byte characters", async () => {
    const euro = Buffer.from("€");
    const chunks = [Buffer.from("one\ntw"), Buffer.from("o\nthr"), euro.subarray(0, 1), euro.subarray(1), Buffer.from("ee\n\nlast")];
    const lines: string[] = [];
    for await (const line of splitLines(Readable.from(chunks))) lines.push(line);
    expect(lines).toEqual(["one", "two", "thr€ee", "", "last"]);
  });
});
