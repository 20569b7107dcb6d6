import { describe, expect, it } from "vitest";
import { DigestTable } from "./digest-table.ts";
import { StringTable } from "./string-table.ts";

describe("StringTable", () => {
  it("holds each string once, replaces its tag, and finds ranges of a longer string", () => {
    const table = new StringTable();
    const names = Array.from({ length: 5000 }, (_, index) => `host-${index}.example`);
    names.forEach((name, index) => {
      expect(table.set(name, index + 1)).toBe(true);
    });
    expect(table.set("host-7.example", 99)).toBe(false);
    table.trim();
    expect(table.size).toBe(5000);
    expect(table.tagOf("host-7.example", 0, 14)).toBe(99);
    expect(table.tagOf("www.host-4999.example", 4, 21)).toBe(5000);
    expect(table.tagOf("host-5000.example", 0, 17)).toBe(0);
    expect(table.tagOf("host-1.exampl", 0, 13)).toBe(0);
    expect(table.tagOf("", 0, 0)).toBe(0);
  });
});

describe("DigestTable", () => {
  it("holds each digest once, replaces its tag, and compares every byte", () => {
    const table = new DigestTable(20);
    const digest = (index: number): Uint8Array => {
      const bytes = new Uint8Array(20);
      new DataView(bytes.buffer).setUint32(16, index);
      return bytes;
    };
    for (let index = 0; index < 5000; index++) expect(table.set(digest(index), index + 1)).toBe(true);
    expect(table.set(digest(7), 99)).toBe(false);
    table.trim();
    expect(table.size).toBe(5000);
    expect(table.tagOf(digest(7))).toBe(99);
    expect(table.tagOf(digest(4999))).toBe(5000);
    expect(table.tagOf(digest(5000))).toBe(0);
  });
});
