import { describe, expect, it } from "vitest";
import { tailLog } from "./log-tail.ts";

describe("tailLog", () => {
  it.each([
    ["empty", "", { maxLines: 10, maxChars: 100 }, { text: "", lines: 0, truncated: false }],
    ["short log with trailing newline", "a\nb\n", { maxLines: 10, maxChars: 100 }, { text: "a\nb", lines: 2, truncated: false }],
    ["last lines kept", "1\n2\n3\n4\n", { maxLines: 2, maxChars: 100 }, { text: "3\n4", lines: 2, truncated: true }],
    ["last characters kept", "first line\nsecond line\n", { maxLines: 10, maxChars: 8 }, { text: "…nd line", lines: 1, truncated: true }],
    ["escape sequences removed", "\u001b[31mred\u001b[0m\r\n", { maxLines: 10, maxChars: 100 }, { text: "red", lines: 1, truncated: false }],
    ["control characters neutralised", "a\u0000b\u202ec\u0007\n", { maxLines: 10, maxChars: 100 }, { text: "a\uFFFDb\u202ec\uFFFD", lines: 1, truncated: false }],
  ])("%s", (_, log, limits, expected) => {
    expect(tailLog(log, limits)).toEqual(expected);
  });

  it("bounds a huge log to the output limit", () => {
    const log = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(80)}`).join("\n");
    const tail = tailLog(log, { maxLines: 1000, maxChars: 2048 });
    expect(Array.from(tail.text)).toHaveLength(2048);
    expect(tail.text.endsWith(`line 4999 ${"x".repeat(80)}`)).toBe(true);
    expect(tail.truncated).toBe(true);
  });

  it("redacts credentials before cutting the tail", () => {
    const log = `-----BEGIN RSA PRIVATE KEY-----\n${"MIIEow\n".repeat(20)}-----END RSA PRIVATE KEY-----\nDB_PASSWORD=hunter2\nconnect postgres://app:s3cr3t@db/x\n`;
    const tail = tailLog(log, { maxLines: 3, maxChars: 2048 });
    expect(tail.text).toBe("[REDACTED]\nDB_PASSWORD=[REDACTED]\nconnect postgres://app:[REDACTED]@db/x");
  });
});
