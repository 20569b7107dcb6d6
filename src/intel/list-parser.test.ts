import { describe, expect, it } from "vitest";
import { MAX_LINE_LENGTH } from "./feed-bounds.ts";
import type { FeedSettings } from "./feed-settings.ts";
import { loadFeed, type FeedLoad } from "./load-feed.ts";
import type { IndicatorType } from "./indicator.ts";

const SETTINGS: FeedSettings = { key: "soar/list", namespace: "soar", labels: [], defaultConfidence: 50, includeSubdomains: false };

function load(text: string, type?: IndicatorType): FeedLoad {
  const loaded = loadFeed(text, type === undefined ? { kind: "list" } : { kind: "list", type }, SETTINGS, 0);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded;
}

describe("the list format", () => {
  it("reads one value a line, skipping comments and blank lines, in any line ending", () => {
    const loaded = load(
      [
        "\ufeff# a blocklist",
        "",
        "198.51.100.7",
        "  198.51.100.0/24 ; SBL 1",
        "2001:DB8::1\t# a comment",
        "Evil.Example.",
        "https://evil.example/x#fragment",
        "D41D8CD98F00B204E9800998ECF8427E",
        `sha1:${"a".repeat(40)}`,
        "b".repeat(64),
        "   ",
        "#",
      ].join("\r\n"),
    );
    expect(loaded.rejected).toEqual({ count: 0, first: [] });
    expect(loaded.counts).toEqual({ ipv4: 2, ipv6: 1, domain: 1, url: 1, sha256: 1, sha1: 1, md5: 1 });
    expect(loaded.index.lookup("url", "https://evil.example/x", 1)?.indicator).toBe("https://evil.example/x");
    expect(loaded.index.lookup("ipv4", "198.51.100.9", 1)?.indicator).toBe("198.51.100.0/24");
  });

  it("rejects what is not a value of the list's type, naming it", () => {
    const loaded = load("198.51.100.7\n2001:db8::1\nevil.example\n10.0.0.0/8\n", "ipv4");
    expect(loaded.counts.ipv4).toBe(2);
    expect(loaded.rejected).toEqual({
      count: 2,
      first: [
        { line: 2, reason: '"2001:db8::1" is not an IPv4 address or CIDR range' },
        { line: 3, reason: '"evil.example" is not an IPv4 address or CIDR range' },
      ],
    });
  });

  it("counts every rejected line and keeps the first five", () => {
    const loaded = load(["ok.example", ...Array.from({ length: 8 }, (_, index) => `bad_${index}`)].join("\n"));
    expect(loaded.rejected.count).toBe(8);
    expect(loaded.rejected.first.map((rejected) => rejected.line)).toEqual([2, 3, 4, 5, 6]);
    expect(loaded.rejected.first[0]?.reason).toBe('"bad_0" is not an IP address or range, a domain, a URL or a hash');
  });

  it("rejects text after the value that is not a comment", () => {
    expect(load("0.0.0.0 evil.example").rejected.first).toEqual([{ line: 1, reason: 'unexpected text "evil.example" after "0.0.0.0"; a comment starts with "#" or ";"' }]);
  });

  it(`rejects a line longer than ${MAX_LINE_LENGTH} characters unread, and quotes values briefly`, () => {
    const loaded = load(`${"a".repeat(MAX_LINE_LENGTH + 1)}\n${"b".repeat(100)}\nok.example`);
    expect(loaded.rejected.first).toEqual([
      { line: 1, reason: `the line is longer than ${MAX_LINE_LENGTH} characters` },
      { line: 2, reason: `"${"b".repeat(64)}…" is not an IP address or range, a domain, a URL or a hash` },
    ]);
    expect(loaded.counts.domain).toBe(1);
  });

  it("reads hostile text in one pass", () => {
    expect(load(" ".repeat(2_000_000)).index.size).toBe(0);
    expect(load("\n".repeat(1_000_000)).index.size).toBe(0);
    expect(load(`a.example ${"#".repeat(4000)}\n`.repeat(500)).counts.domain).toBe(1);
  });
});
