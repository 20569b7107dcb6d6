import { describe, expect, it } from "vitest";
import { boundEventData, DEFAULT_MAX_DATA_BYTES, TRUNCATION_SUFFIX, type TruncatedDataSummary } from "./bound-event-data.ts";

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), "utf8");

/** An object whose JSON is exactly `bytes` long. */
function dataOfSize(bytes: number): { text: string } {
  const overhead = size({ text: "" });
  return { text: "x".repeat(bytes - overhead) };
}

describe("boundEventData", () => {
  it("returns data exactly at the limit unchanged", () => {
    const data = dataOfSize(1024);
    expect(size(data)).toBe(1024);
    const bounded = boundEventData(data, 1024);
    expect(bounded).toEqual({ data, truncated: false });
    expect(bounded.data).toBe(data);
  });

  it("shortens the string of data one byte over the limit, keeping the shape", () => {
    const data = dataOfSize(1025);
    const bounded = boundEventData(data, 1024);
    expect(bounded.truncated).toBe(true);
    expect(size(bounded.data)).toBeLessThanOrEqual(1024);
    const text = (bounded.data as { text: string }).text;
    expect(text.endsWith(TRUNCATION_SUFFIX)).toBe(true);
    expect(text.startsWith("x".repeat(900))).toBe(true);
  });

  it("shortens only the longest strings of nested data, as little as needed", () => {
    const data = { a: { b: ["short", "y".repeat(5000)], c: 7, d: null }, e: "z".repeat(3000), f: true };
    const bounded = boundEventData(data, 4096);
    expect(bounded.truncated).toBe(true);
    expect(size(bounded.data)).toBeLessThanOrEqual(4096);
    const result = bounded.data as { a: { b: string[]; c: number; d: null }; e: string; f: boolean };
    expect(result.a.b[0]).toBe("short");
    expect(result.a.c).toBe(7);
    expect(result.a.d).toBeNull();
    expect(result.f).toBe(true);
    expect(result.a.b[1]?.endsWith(TRUNCATION_SUFFIX)).toBe(true);
    expect(result.e.endsWith(TRUNCATION_SUFFIX)).toBe(true);
    expect(size(bounded.data)).toBeGreaterThan(4096 - 64);
  });

  it("measures bytes, not characters, and never splits a surrogate pair", () => {
    const data = { text: "😀".repeat(2000) };
    const bounded = boundEventData(data, 1024);
    expect(size(bounded.data)).toBeLessThanOrEqual(1024);
    const text = (bounded.data as { text: string }).text.slice(0, -TRUNCATION_SUFFIX.length);
    expect(text).toBe("😀".repeat(text.length / 2));
  });

  it("replaces data whose structure alone is too large with a summary that keeps a prefix", () => {
    const data = Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`key${index}`, index]));
    const bounded = boundEventData(data, 1024);
    expect(bounded.truncated).toBe(true);
    expect(size(bounded.data)).toBeLessThanOrEqual(1024);
    const summary = bounded.data as TruncatedDataSummary;
    expect(summary.truncated).toBe(true);
    expect(summary.originalBytes).toBe(size(data));
    expect(JSON.stringify(data).startsWith(summary.preview)).toBe(true);
    expect(summary.preview.length).toBeGreaterThan(800);
  });

  it("never mutates its input", () => {
    const data = Object.freeze({ list: Object.freeze(["x".repeat(10_000)]) });
    const before = JSON.stringify(data);
    boundEventData(data, 512);
    expect(JSON.stringify(data)).toBe(before);
  });

  it("keeps absent data absent and defaults to 64 KiB", () => {
    expect(boundEventData(undefined)).toEqual({ data: undefined, truncated: false });
    expect(boundEventData(dataOfSize(DEFAULT_MAX_DATA_BYTES)).truncated).toBe(false);
    expect(boundEventData(dataOfSize(DEFAULT_MAX_DATA_BYTES + 1)).truncated).toBe(true);
  });

  it.each([0, 255, 1.5])("refuses a bound of %s", (maxBytes) => {
    expect(() => boundEventData({}, maxBytes)).toThrow(RangeError);
  });
});
