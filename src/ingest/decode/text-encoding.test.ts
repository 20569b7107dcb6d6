import { describe, expect, it } from "vitest";
import { decodeBase64Strict, decodeUtf8, headerBytesAsText, percentDecode, unquoteHeaderValue, utf8Length } from "./text-encoding.ts";

describe("percentDecode", () => {
  it.each([
    ["plain", "plain"],
    ["a%20b", "a b"],
    ["%22quoted%22", '"quoted"'],
    ["100%25", "100%"],
    ["caf%C3%A9", "café"],
    ["%e2%82%ac", "€"],
    ["50%", "50%"],
    ["%zz", "%zz"],
    ["a%2", "a%2"],
    ["raw é and %C3%A9", "raw é and é"],
    ["%00", "\u0000"],
  ])("%j decodes to %j", (input, expected) => {
    expect(percentDecode(input)).toBe(expected);
  });

  it.each(["%FF", "%C3", "%C3%28", "%ED%A0%80"])("%j is not valid UTF-8 after decoding", (input) => {
    expect(percentDecode(input)).toBeUndefined();
  });
});

describe("decodeUtf8", () => {
  it("decodes valid UTF-8 and keeps a byte-order mark", () => {
    expect(decodeUtf8(Buffer.from("\uFEFFcafé €", "utf8"))).toBe("\uFEFFcafé €");
  });

  it.each([[[0xff]], [[0xc3]], [[0xed, 0xa0, 0x80]], [[0xf8, 0x88, 0x80, 0x80, 0x80]], [[0x61, 0x80]]])("refuses invalid bytes %j", (bytes) => {
    expect(decodeUtf8(Uint8Array.from(bytes))).toBeUndefined();
  });
});

describe("decodeBase64Strict", () => {
  it.each([
    ["", ""],
    ["Zm9v", "foo"],
    ["Zm9vYg==", "foob"],
    ["Zm9vYmE=", "fooba"],
  ])("%j decodes to %j", (input, expected) => {
    expect(Buffer.from(decodeBase64Strict(input) ?? []).toString("utf8")).toBe(expected);
  });

  it.each(["Zm9vYg", "Zm9v YmE=", "Zm9v\nYmE=", "Zm9vYg=", "@@@@", "Zm9vYmE==", "Zm9-"])("%j is refused", (input) => {
    expect(decodeBase64Strict(input)).toBeUndefined();
  });
});

describe("utf8Length", () => {
  it.each([
    ["", 0],
    ["abc", 3],
    ["é", 2],
    ["€", 3],
    ["😀", 4],
  ])("%j takes %i bytes", (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
  });
});

/** A header value as Node's HTTP parser gives it: each byte of `text`'s UTF-8 as one Latin-1 character. */
const onTheWire = (text: string): string => Buffer.from(text, "utf8").toString("latin1");

describe("headerBytesAsText", () => {
  it.each(["plain ASCII 50% load", "Zürich ✓ 東京", "Terminal shell in container – Zürich"])("reads the UTF-8 bytes of %j as that text", (text) => {
    expect(headerBytesAsText(onTheWire(text))).toBe(text);
  });

  it.each([["a lone Latin-1 byte", "Z\xfcrich"], ["a truncated sequence", "\xe2\x9c"], ["an encoded surrogate", "\xed\xa0\x80"]])("refuses %s", (_name, value) => {
    expect(headerBytesAsText(value)).toBeUndefined();
  });

  it("takes a value with characters above U+00FF as text already", () => {
    expect(headerBytesAsText("東京")).toBe("東京");
  });
});

describe("unquoteHeaderValue", () => {
  it.each([
    ['"quoted"', "quoted"],
    ['"a \\"b\\" \\\\ c"', 'a "b" \\ c'],
    ['""', ""],
    ["unquoted", "unquoted"],
    ['"open', '"open'],
    ['"a" and "b"', '"a" and "b"'],
    ['"ends in a lone escape\\"', '"ends in a lone escape\\"'],
  ])("%j reads as %j", (input, expected) => {
    expect(unquoteHeaderValue(input)).toBe(expected);
  });
});
