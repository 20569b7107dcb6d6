import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Redactor } from "./redactor.ts";
import { SecretValue } from "./secret-value.ts";

describe("Redactor", () => {
  it("scrubs every registered form, longest first, and ignores very short values", () => {
    const redactor = new Redactor();
    redactor.add("s3cr3t-token", "Bearer s3cr3t-token", "abc");
    expect(redactor.scrub("got Bearer s3cr3t-token and s3cr3t-token, abc")).toBe("got [redacted] and [redacted], abc");
    expect(redactor.scrubRecord({ a: "s3cr3t-token!" })).toEqual({ a: "[redacted]!" });
  });
});

describe("SecretValue", () => {
  it("never shows its content except through reveal and bytes", () => {
    const value = new SecretValue(Buffer.from("hunter22"));
    expect(String(value)).toBe("[redacted]");
    expect(JSON.stringify({ value })).toBe('{"value":"[redacted]"}');
    expect(inspect(value)).toBe("[redacted]");
    expect([value].join("")).toBe("[redacted]");
    expect(value.reveal()).toBe("hunter22");
    expect(value.bytes().toString()).toBe("hunter22");
  });
});
