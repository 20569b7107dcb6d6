import { describe, expect, it } from "vitest";
import { DEFAULT_DECODE_LIMITS, resolveDecodeLimits } from "./decode-limits.ts";
import { buildEnvelope, withData } from "./envelope-builder.ts";
import { RejectReason } from "../rejection.ts";

const base = { specversion: "1.0", id: "1", source: "//scanner.example.com/x", type: "com.example.t" };

function build(attributes: Record<string, unknown>, limits = DEFAULT_DECODE_LIMITS, prefix = "") {
  return buildEnvelope({ attributes: new Map(Object.entries(attributes)), prefix }, limits);
}

describe("buildEnvelope", () => {
  it("builds an envelope from the required attributes", () => {
    expect(build(base)).toEqual({ ok: true, value: { ...base, extensions: {} } });
  });

  it("keeps optional attributes and renders extension values as strings", () => {
    const result = build({
      ...base,
      subject: "shop/deployment/web",
      time: "2026-11-25T14:00:00Z",
      datacontenttype: "application/json",
      dataschema: "https://schemas.example.com/v1",
      severity: "high",
      retries: 3,
      negative: -2147483648,
      sampled: true,
      off: false,
      empty: "",
      ignored: null,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        ...base,
        subject: "shop/deployment/web",
        time: "2026-11-25T14:00:00Z",
        datacontenttype: "application/json",
        dataschema: "https://schemas.example.com/v1",
        extensions: { severity: "high", retries: "3", negative: "-2147483648", sampled: "true", off: "false", empty: "" },
      },
    });
  });

  it.each([
    ["no specversion", { ...base, specversion: undefined }, RejectReason.MissingAttribute, "specversion"],
    ["a null specversion", { ...base, specversion: null }, RejectReason.MissingAttribute, "specversion"],
    ["a numeric specversion", { ...base, specversion: 1 }, RejectReason.InvalidAttribute, "specversion"],
    ["specversion 0.3", { ...base, specversion: "0.3" }, RejectReason.UnsupportedSpecversion, "specversion"],
    ["specversion 1.0.2", { ...base, specversion: "1.0.2" }, RejectReason.UnsupportedSpecversion, "specversion"],
    ["no id", { ...base, id: undefined }, RejectReason.MissingAttribute, "id"],
    ["an empty id", { ...base, id: "" }, RejectReason.InvalidAttribute, "id"],
    ["a numeric id", { ...base, id: 42 }, RejectReason.InvalidAttribute, "id"],
    ["no source", { ...base, source: undefined }, RejectReason.MissingAttribute, "source"],
    ["an array source", { ...base, source: [] }, RejectReason.InvalidAttribute, "source"],
    ["a source that is not a URI-reference", { ...base, source: "two words" }, RejectReason.InvalidAttribute, "source"],
    ["no type", { ...base, type: undefined }, RejectReason.MissingAttribute, "type"],
    ["an object type", { ...base, type: {} }, RejectReason.InvalidAttribute, "type"],
    ["NUL in the type", { ...base, type: "a\u0000b" }, RejectReason.InvalidAttribute, "type"],
    ["a newline in the id", { ...base, id: "a\nb" }, RejectReason.InvalidAttribute, "id"],
    ["a C1 control in the subject", { ...base, subject: "a\u0085b" }, RejectReason.InvalidAttribute, "subject"],
    ["an unpaired surrogate in the source", { ...base, source: "x\uD800" }, RejectReason.InvalidAttribute, "source"],
    ["a noncharacter in the id", { ...base, id: "x\uFFFE" }, RejectReason.InvalidAttribute, "id"],
    ["an empty subject", { ...base, subject: "" }, RejectReason.InvalidAttribute, "subject"],
    ["a time that is not RFC 3339", { ...base, time: "yesterday" }, RejectReason.InvalidAttribute, "time"],
    ["a numeric time", { ...base, time: 1763635337 }, RejectReason.InvalidAttribute, "time"],
    ["a malformed datacontenttype", { ...base, datacontenttype: "json" }, RejectReason.InvalidAttribute, "datacontenttype"],
    ["a relative dataschema", { ...base, dataschema: "schemas/v1" }, RejectReason.InvalidAttribute, "dataschema"],
    ["an upper-case extension name", { ...base, "Bad-Name": "v" }, RejectReason.InvalidAttribute, "Bad-Name"],
    ["an extension name with an underscore", { ...base, my_ext: "v" }, RejectReason.InvalidAttribute, "my_ext"],
    ["an extension named data", { ...base, data: "v" }, RejectReason.InvalidAttribute, "data"],
    ["an object extension value", { ...base, ext: { a: 1 } }, RejectReason.InvalidAttribute, "ext"],
    ["a fractional extension value", { ...base, ext: 1.5 }, RejectReason.InvalidAttribute, "ext"],
    ["an extension value beyond 32 bits", { ...base, ext: 2147483648 }, RejectReason.InvalidAttribute, "ext"],
    ["a control character in an extension", { ...base, ext: "a\u0007" }, RejectReason.InvalidAttribute, "ext"],
  ])("rejects %s", (_name, attributes, reason, field) => {
    const result = build(attributes);
    expect(result).toMatchObject({ ok: false, reason, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("checks specversion before anything else", () => {
    expect(build({ specversion: 1, id: 42, source: [], type: {} })).toMatchObject({ reason: RejectReason.InvalidAttribute, field: "specversion" });
  });

  it("enforces the attribute size, extension count and extension name length limits", () => {
    const limits = resolveDecodeLimits({ maxAttributeBytes: 32, maxExtensions: 2, maxExtensionNameLength: 5 });
    expect(build({ ...base, id: "x".repeat(33) }, limits)).toMatchObject({ reason: RejectReason.TooLarge, field: "id" });
    expect(build({ ...base, a: "1", b: "2", c: "3" }, limits)).toMatchObject({ reason: RejectReason.TooLarge, field: "extensions" });
    expect(build({ ...base, abcdef: "1" }, limits)).toMatchObject({ reason: RejectReason.InvalidAttribute, field: "abcdef" });
    expect(build({ ...base, abcde: "x".repeat(32) }, limits).ok).toBe(true);
  });

  it("names fields inside a batch by index", () => {
    expect(build({ ...base, time: "soon" }, DEFAULT_DECODE_LIMITS, "[3]")).toMatchObject({ field: "[3].time" });
    expect(build({ ...base, "Bad-Name": "v" }, DEFAULT_DECODE_LIMITS, "[0]")).toMatchObject({ field: '[0]["Bad-Name"]' });
  });

  it("renders a hostile extension name printably in the field and message", () => {
    const result = build({ ...base, "x\u202e\u0000": "v" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.field).toBe("x\\u202e\\u0000");
      expect(result.message).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});

describe("withData", () => {
  it("attaches data, and leaves the envelope without data when there is none", () => {
    const attributes = { ...base, specversion: "1.0" as const, extensions: {} };
    expect(withData(attributes, { a: 1 })).toEqual({ ...attributes, data: { a: 1 } });
    expect("data" in withData(attributes, undefined)).toBe(false);
    expect(withData(attributes, null)).toEqual({ ...attributes, data: null });
  });
});

describe("resolveDecodeLimits", () => {
  it("fills defaults and keeps overrides", () => {
    expect(resolveDecodeLimits({ maxDepth: 8 })).toEqual({ ...DEFAULT_DECODE_LIMITS, maxDepth: 8 });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses maxBytes %s naming the limit", (value) => {
    expect(() => resolveDecodeLimits({ maxBytes: value })).toThrow(/maxBytes/);
  });
});
