import { describe, expect, it } from "vitest";
import { findExcessiveNesting } from "./json-nesting.ts";
import { joinPath } from "./json-path.ts";
import { RejectReason } from "../rejection.ts";
import { findValueNesting, parseJsonBytes } from "./safe-json.ts";

const limits = { maxBytes: 1024, maxDepth: 4 };
const bytes = (text: string): Uint8Array => Buffer.from(text, "utf8");

describe("parseJsonBytes", () => {
  it.each([
    ['{"a":[1,{"b":[]}]}', { a: [1, { b: [] }] }],
    ["\uFEFF[1]", [1]],
    ['"just a string"', "just a string"],
    ["42", 42],
    ['{"constructor":"a string is harmless","prototype":1}', { constructor: "a string is harmless", prototype: 1 }],
    ['{"nested":[[[1]]]}', { nested: [[[1]]] }],
  ])("accepts %s", (text, value) => {
    expect(parseJsonBytes(bytes(text), limits, "")).toEqual({ ok: true, value });
  });

  it.each([
    ["not json", "{", RejectReason.InvalidJson, "body"],
    ["empty", "", RejectReason.InvalidJson, "body"],
    ["trailing garbage", "{} x", RejectReason.InvalidJson, "body"],
    ["too deep", '{"a":[[[[1]]]]}', RejectReason.TooDeep, "a[0][0][0]"],
    ["too deep in an array", "[[[[[1]]]]]", RejectReason.TooDeep, "[0][0][0][0]"],
    ["too deep after siblings", '{"x":1,"y":{"z":{"w":[0,[1]]}}}', RejectReason.TooDeep, "y.z.w[1]"],
    ["a __proto__ key", '{"a":{"__proto__":{"admin":true}}}', RejectReason.ForbiddenKey, "a.__proto__"],
    ["constructor.prototype", '[{"constructor":{"prototype":{"x":1}}}]', RejectReason.ForbiddenKey, "[0].constructor"],
  ])("rejects %s", (_name, text, reason, field) => {
    const result = parseJsonBytes(bytes(text), limits, "");
    expect(result).toMatchObject({ ok: false, reason, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("names the data root in rejections", () => {
    expect(parseJsonBytes(bytes("[[[[[1]]]]]"), limits, "data")).toMatchObject({ reason: RejectReason.TooDeep, field: "data[0][0][0][0]" });
    expect(parseJsonBytes(bytes("nope"), limits, "data")).toMatchObject({ reason: RejectReason.InvalidJson, field: "data" });
  });

  it("allows envelope levels on top of the data depth", () => {
    expect(parseJsonBytes(bytes("[[[[[1]]]]]"), limits, "", 1).ok).toBe(true);
    expect(parseJsonBytes(bytes("[[[[[[1]]]]]]"), limits, "", 1)).toMatchObject({ reason: RejectReason.TooDeep });
  });

  it("rejects invalid UTF-8 and oversized input before parsing", () => {
    expect(parseJsonBytes(Uint8Array.of(0x22, 0xff, 0x22), limits, "")).toMatchObject({ reason: RejectReason.InvalidEncoding, field: "body" });
    expect(parseJsonBytes(bytes(`"${"x".repeat(1100)}"`), limits, "")).toMatchObject({ reason: RejectReason.TooLarge, field: "body" });
  });

  it("never quotes the hostile input in its message", () => {
    const result = parseJsonBytes(bytes("{secret-looking-garbage"), limits, "");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain("secret-looking-garbage");
  });

  it("refuses a million nested arrays", () => {
    const deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
    expect(parseJsonBytes(bytes(deep), { maxBytes: 4_000_000, maxDepth: 32 }, "")).toMatchObject({ reason: RejectReason.TooDeep });
  });
});

describe("findExcessiveNesting", () => {
  it("ignores brackets inside strings, including escaped quotes", () => {
    expect(findExcessiveNesting('{"a":"[[[[[[\\"[[[[","b":[1]}', 2, "")).toBeUndefined();
  });

  it("names keys with dots, quotes and control characters printably", () => {
    const path = findExcessiveNesting('{"k8s.pod":{"a\\"b\u0000\u202e":[[1]]}}', 3, "");
    expect(path).toMatch(/^\["k8s\.pod"\]\[".*"\]\[0\]$/);
    expect(path).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("findValueNesting", () => {
  it.each([
    [{ a: { b: 1 } }, 2, undefined],
    [{ a: { b: {} } }, 2, "a.b"],
    [[[[]]], 2, "[0][0]"],
    ["scalar", 0, undefined],
  ])("%j at limit %i → %s", (value, maxDepth, path) => {
    expect(findValueNesting(value, maxDepth, "")).toBe(path);
  });
});

describe("joinPath", () => {
  it.each([
    ["", "data", "data"],
    ["data", "output_fields", "data.output_fields"],
    ["data.output_fields", "k8s.pod.name", 'data.output_fields["k8s.pod.name"]'],
    ["alerts", 3, "alerts[3]"],
    ["", "bidi\u202eend", '["bidi\\u202eend"]'],
  ])("%j + %j = %j", (parent, segment, path) => {
    expect(joinPath(parent, segment)).toBe(path);
  });

  it("bounds the length of a path", () => {
    let path = "";
    for (let i = 0; i < 100; i++) path = joinPath(path, "segment");
    expect(path.length).toBeLessThanOrEqual(259);
    expect(path.endsWith("...")).toBe(true);
  });
});
