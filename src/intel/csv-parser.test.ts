import { describe, expect, it } from "vitest";
import type { CsvFormat, FeedSettings } from "./feed-settings.ts";
import { loadFeed, type FeedLoad } from "./load-feed.ts";

const NOW = Date.UTC(2026, 0, 1);
const SETTINGS: FeedSettings = { key: "soar/csv", namespace: "soar", labels: ["feed"], defaultConfidence: 50, includeSubdomains: false };

function load(text: string, format: Omit<CsvFormat, "kind">): FeedLoad {
  const loaded = loadFeed(text, { kind: "csv", ...format }, SETTINGS, NOW);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded;
}

describe("the CSV format", () => {
  it("reads named columns of a header row, in any case, with their attributes", () => {
    const loaded = load(
      [
        "# exported 2026-01-01",
        "Indicator,Type,Score,Tags,Expires",
        "198.51.100.7,ip-dst,90,c2;botnet,2026-06-01T00:00:00Z",
        '"evil.example",hostname,,"phishing | kit",',
        "",
        `${"a".repeat(64)},SHA-256,10,,`,
      ].join("\n"),
      { valueColumn: "indicator", typeColumn: "type", confidenceColumn: "score", labelsColumn: "tags", expiresColumn: "expires", header: true },
    );
    expect(loaded.rejected.count).toBe(0);
    expect(loaded.index.lookup("ipv4", "198.51.100.7", NOW)).toEqual({ type: "ipv4", indicator: "198.51.100.7", confidence: 90, labels: ["feed", "c2", "botnet"] });
    expect(loaded.index.lookup("ipv4", "198.51.100.7", Date.UTC(2026, 5, 1))).toBeUndefined();
    expect(loaded.index.lookup("domain", "evil.example", NOW)).toEqual({ type: "domain", indicator: "evil.example", confidence: 50, labels: ["feed", "phishing", "kit"] });
    expect(loaded.index.lookup("sha256", "a".repeat(64), NOW)?.confidence).toBe(10);
  });

  it("reads numbered columns without a header, another delimiter, and infers a missing type", () => {
    const loaded = load("1;evil.example;x\n2;198.51.100.7\n3;https://evil.example/a", { valueColumn: 1, header: false, delimiter: ";" });
    expect(loaded.counts).toMatchObject({ domain: 1, ipv4: 1, url: 1 });
  });

  it.each([
    ["ip", "198.51.100.7", "ipv4"],
    ["IP", "2001:db8::1", "ipv6"],
    ["ipv4-addr", "10.0.0.0/8", "ipv4"],
    ["ip_src", "198.51.100.7", "ipv4"],
    ["IPv6", "2001:db8::/32", "ipv6"],
    ["domain-name", "evil.example", "domain"],
    ["FQDN", "evil.example", "domain"],
    ["Domain Name", "evil.example", "domain"],
    ["URI", "https://evil.example/", "url"],
    ["md5", "d41d8cd98f00b204e9800998ecf8427e", "md5"],
    ["SHA-1", "a".repeat(40), "sha1"],
    ["hash", "a".repeat(64), "sha256"],
    ["", "evil.example", "domain"],
  ])("type %j reads %s as %s", (type, value, expected) => {
    const loaded = load(`${value},${type}`, { valueColumn: 0, typeColumn: 1, header: false });
    expect(loaded.rejected.first).toEqual([]);
    expect(Object.entries(loaded.counts).filter(([, count]) => count > 0)).toEqual([[expected, 1]]);
  });

  it("rejects a record with a bad cell, naming the cell", () => {
    const loaded = load(
      [
        "value,type,confidence,expires",
        "198.51.100.7,email,,",
        "198.51.100.7,ipv6,,",
        "198.51.100.7,,101,",
        "198.51.100.7,,high,",
        "198.51.100.7,,,tomorrow",
        ",,,",
        "only-one-cell",
      ].join("\n"),
      { valueColumn: "value", typeColumn: "type", confidenceColumn: "confidence", expiresColumn: "expires", header: true },
    );
    expect(loaded.rejected.count).toBe(7);
    expect(loaded.rejected.first).toEqual([
      { line: 2, reason: 'type "email" is not an indicator type' },
      { line: 3, reason: '"198.51.100.7" is not an IPv6 address or CIDR range' },
      { line: 4, reason: 'confidence "101" is not an integer from 0 to 100' },
      { line: 5, reason: 'confidence "high" is not an integer from 0 to 100' },
      { line: 6, reason: 'expiry "tomorrow" is not an RFC 3339 time' },
    ]);
  });

  it("says which cell a short record lacks", () => {
    expect(load("a.example,x\nb.example", { valueColumn: 1, header: false }).rejected.first).toEqual([
      { line: 1, reason: '"x" is not an IP address or range, a domain, a URL or a hash' },
      { line: 2, reason: "the record has 1 cells; the value is in cell 2" },
    ]);
  });

  it("counts indicators expired at the load instead of holding them", () => {
    const loaded = load("a.example,2025-01-01T00:00:00Z\nb.example,2027-01-01T00:00:00+02:00", { valueColumn: 0, expiresColumn: 1, header: false });
    expect(loaded.expired).toBe(1);
    expect(loaded.counts.domain).toBe(1);
  });

  it("reports the line a multi-line record starts on", () => {
    const loaded = load('value,note\n"a.example","two\nlines"\nbad value,x', { valueColumn: "value", header: true });
    expect(loaded.rejected.first).toEqual([{ line: 4, reason: '"bad value" is not an IP address or range, a domain, a URL or a hash' }]);
  });

  it.each<[string, string, Omit<CsvFormat, "kind">, string]>([
    ["a named column missing from the header", "value\nx", { valueColumn: "indicator", header: true }, 'the header row has no column "indicator"'],
    ["a named column without a header", "x", { valueColumn: "indicator", header: false }, 'column "indicator" is named but the format has no header row'],
    ["a negative column", "x", { valueColumn: -1, header: false }, "column -1 is not a position from 0"],
    ["a delimiter of two characters", "x", { valueColumn: 0, header: false, delimiter: ";;" }, 'delimiter ";;" must be one character other than a quote or a line break'],
    ["a quote as delimiter", "x", { valueColumn: 0, header: false, delimiter: '"' }, 'delimiter "\\"" must be one character other than a quote or a line break'],
    ["an unreadable header", '"value', { valueColumn: "value", header: true }, "the header row cannot be read: a quoted cell is never closed"],
  ])("fails as a whole on %s", (_name, text, format, reason) => {
    expect(loadFeed(text, { kind: "csv", ...format }, SETTINGS, NOW)).toEqual({ ok: false, reason });
  });
});
