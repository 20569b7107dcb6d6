import { describe, expect, it } from "vitest";
import type { FeedSettings } from "./feed-settings.ts";
import { loadFeed, type FeedLoad } from "./load-feed.ts";

const NOW = Date.UTC(2026, 0, 1);
const SETTINGS: FeedSettings = { key: "soar/stix", namespace: "soar", labels: [], defaultConfidence: 50, includeSubdomains: false };

function indicator(pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "indicator", spec_version: "2.1", id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", pattern_type: "stix", pattern, valid_from: "2025-01-01T00:00:00Z", ...extra };
}

function load(objects: readonly unknown[]): FeedLoad {
  const loaded = loadFeed(JSON.stringify({ type: "bundle", id: "bundle--1", objects }), { kind: "stix2" }, SETTINGS, NOW);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded;
}

describe("the STIX 2.1 format", () => {
  it("reads indicators of simple patterns with their confidence, labels and validity", () => {
    const loaded = load([
      { type: "identity", id: "identity--1", name: "a producer" },
      indicator("[ipv4-addr:value = '198.51.100.0/24' OR ipv4-addr:value = '203.0.113.7']", { confidence: 85, labels: ["c2"] }),
      indicator("[domain-name:value = 'Evil.Example'] OR [url:value = 'https://evil.example/x']", { valid_until: "2026-02-01T00:00:00Z" }),
      indicator("[file:hashes.'SHA-256' = '" + "A".repeat(64) + "' OR file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
      indicator("[ipv6-addr:value = '2001:db8::/32']", { valid_from: "2026-06-01T00:00:00Z" }),
      { type: "relationship", id: "relationship--1", relationship_type: "indicates" },
    ]);
    expect(loaded.rejected.count).toBe(0);
    expect(loaded.unsupportedPatterns).toBe(0);
    expect(loaded.counts).toEqual({ ipv4: 2, ipv6: 1, domain: 1, url: 1, sha256: 1, sha1: 0, md5: 1 });
    expect(loaded.index.lookup("ipv4", "198.51.100.9", NOW)).toEqual({ type: "ipv4", indicator: "198.51.100.0/24", confidence: 85, labels: ["c2"] });
    expect(loaded.index.lookup("domain", "evil.example", NOW)?.confidence).toBe(50);
    expect(loaded.index.lookup("domain", "evil.example", Date.UTC(2026, 1, 1))).toBeUndefined();
    expect(loaded.index.lookup("ipv6", "2001:db8::1", NOW)).toBeUndefined();
    expect(loaded.index.lookup("ipv6", "2001:db8::1", Date.UTC(2026, 5, 1))?.indicator).toBe("2001:db8::/32");
  });

  it("skips revoked indicators and counts unsupported patterns without failing", () => {
    const loaded = load([
      indicator("[ipv4-addr:value = '198.51.100.7']", { revoked: true }),
      indicator("[ipv4-addr:value = '198.51.100.8'] FOLLOWEDBY [domain-name:value = 'a.example']"),
      indicator("[ipv4-addr:value = '198.51.100.9' AND domain-name:value = 'a.example']"),
      indicator("[ipv4-addr:value = '198.51.100.10'] WITHIN 60 SECONDS"),
      indicator("[email-addr:value = 'a@example.com']"),
      indicator("alert tcp any any -> any any", { pattern_type: "snort" }),
      indicator("[domain-name:value = 'b.example']"),
    ]);
    expect(loaded.unsupportedPatterns).toBe(5);
    expect(loaded.rejected.count).toBe(0);
    expect(loaded.index.size).toBe(1);
  });

  it("rejects an object it cannot use, naming it by position and id", () => {
    const loaded = load([
      "not an object",
      indicator("[domain-name:value = 'a.example']", { confidence: 120 }),
      indicator("[domain-name:value = 'a.example']", { labels: "c2" }),
      indicator("[domain-name:value = 'a.example']", { valid_from: "yesterday" }),
      indicator("[domain-name:value = 'a.example']", { valid_until: "2025-01-01T00:00:00Z" }),
      indicator("[domain-name:value = 'not a domain']"),
      indicator("[file:hashes.MD5 = '" + "a".repeat(64) + "']"),
    ]);
    expect(loaded.rejected.count).toBe(7);
    const id = '"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"';
    expect(loaded.rejected.first).toEqual([
      { line: 1, reason: "the object is not a JSON object" },
      { line: 2, reason: `${id}: confidence is not an integer from 0 to 100` },
      { line: 3, reason: `${id}: labels is not a list of strings` },
      { line: 4, reason: `${id}: valid_from is not an RFC 3339 time` },
      { line: 5, reason: `${id}: valid_until is not after valid_from` },
    ]);
  });

  it("counts an indicator no longer valid at the load as expired", () => {
    const loaded = load([indicator("[domain-name:value = 'a.example']", { valid_until: "2025-06-01T00:00:00Z" })]);
    expect(loaded.expired).toBe(1);
    expect(loaded.index.size).toBe(0);
  });

  it.each([
    ["{", /^the STIX bundle is not valid JSON: /],
    ["[]", /^the document is not a STIX bundle \(an object with "type": "bundle"\)$/],
    ['{"type":"indicator"}', /^the document is not a STIX bundle/],
    ['{"type":"bundle","objects":{}}', /^the STIX bundle's "objects" is not an array$/],
  ])("fails as a whole on %s", (text, reason) => {
    const loaded = loadFeed(text, { kind: "stix2" }, SETTINGS, NOW);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(reason);
  });

  it("reads a bundle without objects as empty", () => {
    expect(loadFeed('{"type":"bundle","id":"bundle--1"}', { kind: "stix2" }, SETTINGS, NOW)).toMatchObject({ ok: true, counts: { domain: 0 } });
  });
});
