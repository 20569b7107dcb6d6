import { describe, expect, it } from "vitest";
import { maxMessageLength, safeMessage } from "./error-text.ts";

describe("safeMessage", () => {
  it.each<[string, string]>([
    ["plain text", "plain text"],
    ["line\nbreak\ttab", "line\\u000abreak\\u0009tab"],
    ["nul\u0000", "nul\\u0000"],
    ["bidi \u202e override \u2066isolate", "bidi \\u202e override \\u2066isolate"],
    ["é and 😀 stay", "é and 😀 stay"],
  ])("escapes %j", (input, expected) => {
    expect(safeMessage(input)).toBe(expected);
  });

  it("bounds the length", () => {
    const message = safeMessage("x".repeat(10_000));
    expect(message.length).toBe(maxMessageLength);
    expect(message.endsWith("…")).toBe(true);
  });
});
