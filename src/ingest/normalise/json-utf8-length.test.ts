import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonUtf8Length } from "./json-utf8-length.ts";

const measured = (value: unknown): number | undefined => {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? undefined : Buffer.byteLength(json, "utf8");
};

describe("jsonUtf8Length", () => {
  it("is the UTF-8 length of JSON.stringify for any JSON value, lone surrogates and control characters included", () => {
    const text = fc.string({ unit: "binary" });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie("node")), fc.dictionary(text, tie("node"))),
    })).node;
    fc.assert(
      fc.property(value, (generated) => {
        expect(jsonUtf8Length(generated)).toBe(measured(generated));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ["undefined", undefined],
    ["a function", () => 1],
    ["an object with undefined members", { a: undefined, b: 1, c: () => 2 }],
    ["an array with undefined items", [undefined, 1, Symbol("s")]],
    ["an object with toJSON", { toJSON: () => ({ replaced: "yes" }) }],
    ["a date", new Date(0)],
    ["non-finite numbers", [Number.NaN, Number.POSITIVE_INFINITY, -0]],
    ["escapes", { "quote\"": "back\\slash\u0001\b\n\u2028" }],
  ])("agrees with JSON.stringify on %s", (_, value) => {
    expect(jsonUtf8Length(value)).toBe(measured(value));
  });
});
