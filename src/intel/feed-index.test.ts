import { describe, expect, it } from "vitest";
import { FeedIndex } from "./feed-index.ts";
import { FeedIndexBuilder } from "./feed-index-builder.ts";
import { MAX_INDICATOR_LABELS, MAX_LABEL_LENGTH } from "./feed-bounds.ts";
import type { FeedSettings } from "./feed-settings.ts";
import { loadFeed } from "./load-feed.ts";

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const SETTINGS: FeedSettings = { key: "soar/feed", namespace: "soar", labels: ["feed"], defaultConfidence: 40, includeSubdomains: false };

function indexOf(text: string, settings: Partial<FeedSettings> = {}): FeedIndex {
  const loaded = loadFeed(text, { kind: "list" }, { ...SETTINGS, ...settings }, NOW);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.index;
}

describe("FeedIndex", () => {
  it("stops matching every indicator expireAfterMs after the load, the time the feed last listed it", () => {
    const index = indexOf("evil.example\n198.51.100.0/24", { expireAfterMs: HOUR });
    expect(index.lookup("domain", "evil.example", NOW + HOUR - 1)?.indicator).toBe("evil.example");
    expect(index.lookup("ipv4", "198.51.100.1", NOW + HOUR - 1)?.indicator).toBe("198.51.100.0/24");
    expect(index.lookup("domain", "evil.example", NOW + HOUR)).toBeUndefined();
    expect(index.lookup("ipv4", "198.51.100.1", NOW + HOUR)).toBeUndefined();
    expect(indexOf("evil.example").lookup("domain", "evil.example", NOW + 1000 * HOUR)).toBeDefined();
  });

  it("matches an indicator from validFrom until before validUntil, falling back to a wider valid range", () => {
    const builder = new FeedIndexBuilder(SETTINGS, NOW);
    builder.add({ value: "198.51.100.7", validFrom: NOW + HOUR, validUntil: NOW + 2 * HOUR });
    builder.add({ value: "198.51.100.0/24" });
    const index = builder.build();
    expect(index.lookup("ipv4", "198.51.100.7", NOW)?.indicator).toBe("198.51.100.0/24");
    expect(index.lookup("ipv4", "198.51.100.7", NOW + HOUR)?.indicator).toBe("198.51.100.7");
    expect(index.lookup("ipv4", "198.51.100.7", NOW + 2 * HOUR)?.indicator).toBe("198.51.100.0/24");
  });

  it("matches subdomains of a listed domain only when the feed includes them, naming the nearest parent", () => {
    const text = "evil.example\nb.evil.example";
    expect(indexOf(text).lookup("domain", "a.b.evil.example", NOW)).toBeUndefined();
    const index = indexOf(text, { includeSubdomains: true });
    expect(index.lookup("domain", "A.B.Evil.Example.", NOW)?.indicator).toBe("b.evil.example");
    expect(index.lookup("domain", "c.evil.example", NOW)?.indicator).toBe("evil.example");
    expect(index.lookup("domain", "evil.example", NOW)?.indicator).toBe("evil.example");
    expect(index.lookup("domain", "notevil.example", NOW)).toBeUndefined();
    expect(index.lookup("domain", "example", NOW)).toBeUndefined();
  });

  it("holds a value listed twice once, with the attributes of its last listing", () => {
    const builder = new FeedIndexBuilder(SETTINGS, NOW);
    expect(builder.add({ value: "evil.example", confidence: 90, labels: ["a"] })).toBeUndefined();
    expect(builder.add({ value: "EVIL.example.", confidence: 10, labels: ["b", "feed", "b"] })).toBeUndefined();
    const index = builder.build();
    expect(index.size).toBe(1);
    expect(index.lookup("domain", "evil.example", NOW)).toEqual({ type: "domain", indicator: "evil.example", confidence: 10, labels: ["feed", "b"] });
  });

  it("gives an indicator stating nothing the feed's confidence and labels", () => {
    expect(indexOf("evil.example").lookup("domain", "evil.example", NOW)).toEqual({ type: "domain", indicator: "evil.example", confidence: 40, labels: ["feed"] });
  });

  it("holds at most maxIndicators values, still replacing one it holds", () => {
    const builder = new FeedIndexBuilder({ ...SETTINGS, maxIndicators: 2 }, NOW);
    expect(builder.add({ value: "198.51.100.0/24" })).toBeUndefined();
    expect(builder.add({ value: "a.example" })).toBeUndefined();
    expect(builder.add({ value: "198.51.100.0/25" })).toBe("the feed holds its most indicators already, 2");
    expect(builder.add({ value: "a.example", confidence: 99 })).toBeUndefined();
    const index = builder.build();
    expect(index.size).toBe(2);
    expect(index.lookup("domain", "a.example", NOW)?.confidence).toBe(99);
  });

  it.each([
    [{ value: "a.example", confidence: 101 }, "confidence 101 is not an integer from 0 to 100"],
    [{ value: "a.example", confidence: 1.5 }, "confidence 1.5 is not an integer from 0 to 100"],
    [{ value: "a.example", labels: Array.from({ length: MAX_INDICATOR_LABELS + 1 }, (_, index) => `l${index}`) }, `${MAX_INDICATOR_LABELS + 1} labels, more than ${MAX_INDICATOR_LABELS}`],
    [{ value: "a.example", labels: ["x".repeat(MAX_LABEL_LENGTH + 1)] }, `label "${"x".repeat(64)}…" is empty, longer than ${MAX_LABEL_LENGTH} characters or holds a control character`],
    [{ value: "a.example", labels: ["a\nb"] }, `label "a\\nb" is empty, longer than ${MAX_LABEL_LENGTH} characters or holds a control character`],
    [{ value: "a.example", labels: [""] }, `label "" is empty, longer than ${MAX_LABEL_LENGTH} characters or holds a control character`],
    [{ value: "a.example", validUntil: Number.NaN }, "validUntil is not a time"],
    [{ value: "a.example", type: "url" as const }, '"a.example" is not an absolute http, https or ftp URL without credentials'],
    [{ value: "a".repeat(128) }, `"${"a".repeat(64)}…" is not an IP address or range, a domain, a URL or a hash`],
    [{ value: "a".repeat(40), type: "md5" as const }, `"${"a".repeat(40)}" is not an MD5 hash (32 hex digits)`],
  ])("refuses %j", (indicator, reason) => {
    expect(new FeedIndexBuilder(SETTINGS, NOW).add(indicator)).toBe(reason);
  });

  it("reads an IPv4-mapped IPv6 value as IPv4, and matches IPv4 values in IPv6 ranges over the mapped block", () => {
    const index = indexOf("::ffff:198.51.100.0/120\n::/80");
    expect(index.counts).toMatchObject({ ipv4: 1, ipv6: 1 });
    expect(index.lookup("ipv4", "198.51.100.1", NOW)?.indicator).toBe("198.51.100.0/24");
    expect(index.lookup("ipv6", "::ffff:198.51.100.1", NOW)?.indicator).toBe("198.51.100.0/24");
    expect(index.lookup("ipv4", "203.0.113.1", NOW)?.indicator).toBe("::/80");
    expect(index.lookup("ipv6", "::1:0:0:1", NOW)).toBeUndefined();
  });

  it("matches a range held by a listed range, and an address of the whole space", () => {
    const index = indexOf("0.0.0.0/0\n10.0.0.0/8\n2001:db8::/32");
    expect(index.lookup("ipv4", "10.1.0.0/16", NOW)?.indicator).toBe("10.0.0.0/8");
    expect(index.lookup("ipv4", "10.0.0.0/7", NOW)?.indicator).toBe("0.0.0.0/0");
    expect(index.lookup("ipv4", "192.0.2.1", NOW)?.indicator).toBe("0.0.0.0/0");
    expect(index.lookup("ipv6", "2001:db8:1::/48", NOW)?.indicator).toBe("2001:db8::/32");
  });

  it("matches hashes and URLs by their canonical form", () => {
    const index = indexOf(`SHA256:${"AB".repeat(32)}\nsha1:${"c".repeat(40)}\nd41d8cd98f00b204e9800998ecf8427e\nHTTPS://Evil.Example:443/a?b=1#c`);
    expect(index.lookup("sha256", "ab".repeat(32), NOW)?.indicator).toBe("ab".repeat(32));
    expect(index.lookup("sha1", `SHA1:${"C".repeat(40)}`, NOW)?.indicator).toBe("c".repeat(40));
    expect(index.lookup("md5", "D41D8CD98F00B204E9800998ECF8427E", NOW)?.type).toBe("md5");
    expect(index.lookup("sha256", "ab".repeat(31), NOW)).toBeUndefined();
    expect(index.lookup("url", "https://evil.example/a?b=1", NOW)?.indicator).toBe("https://evil.example/a?b=1");
    expect(index.lookup("url", "https://evil.example/a?b=2", NOW)).toBeUndefined();
  });

  it("answers nothing for a value that is not of the type asked", () => {
    const index = indexOf("evil.example\n198.51.100.7");
    expect(index.lookup("ipv4", "evil.example", NOW)).toBeUndefined();
    expect(index.lookup("domain", "198.51.100.7", NOW)).toBeUndefined();
    expect(index.lookup("domain", "", NOW)).toBeUndefined();
  });

  it("reads several sources into one index and builds once", () => {
    const builder = new FeedIndexBuilder(SETTINGS, NOW);
    expect(builder.parse("a.example", { kind: "list" })).toMatchObject({ ok: true, accepted: 1 });
    expect(builder.parse("value\nb.example", { kind: "csv", valueColumn: "value", header: true })).toMatchObject({ ok: true, accepted: 1 });
    expect(builder.parse("{", { kind: "stix2" })).toMatchObject({ ok: false });
    const index = builder.build();
    expect(index.counts.domain).toBe(2);
    expect(() => builder.add({ value: "c.example" })).toThrow("FeedIndexBuilder: the index is built already");
  });

  it("is empty when constructed without tables", () => {
    const index = new FeedIndex(SETTINGS, NOW);
    expect(index.size).toBe(0);
    expect(index.key).toBe("soar/feed");
    expect(index.lookup("domain", "a.example", NOW)).toBeUndefined();
  });

  it("stays compact: a hundred thousand addresses take under 40 bytes each", () => {
    const text = Array.from({ length: 100_000 }, (_, index) => `10.${index >>> 16}.${(index >>> 8) & 255}.${index & 255}`).join("\n");
    const index = indexOf(text);
    expect(index.size).toBe(100_000);
    expect(index.byteLength / index.size).toBeLessThan(40);
  });
});
