import { describe, expect, it } from "vitest";
import type { FeedSettings } from "../../intel/index.ts";
import { EventLoopTurns } from "../../runtime/event-loop-turns.ts";
import { buildFromInline, buildFromText, LIST_CHUNK_CHARS } from "./feed-build.ts";

const settings: FeedSettings = { key: "soc/feed", namespace: "soc", labels: [], defaultConfidence: 50, includeSubdomains: false };
const now = Date.parse("2026-06-01T00:00:00Z");
const turns = new EventLoopTurns();

describe("buildFromText", () => {
  it("parses a list larger than one piece, with rejections numbered from the start of the text", async () => {
    const filler = Array.from({ length: Math.ceil(LIST_CHUNK_CHARS / 16) + 10 }, (_, index) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`);
    const lines = ["not-an-indicator!", ...filler, "also bad here", "203.0.113.5"];
    const built = await buildFromText(lines.join("\n"), { kind: "list" }, settings, now, turns);
    if (!built.ok) throw new Error(built.reason);
    expect(built.rejected.count).toBe(2);
    expect(built.rejected.first.map((rejected) => rejected.line)).toEqual([1, lines.length - 1]);
    expect(built.index.lookup("ipv4", "203.0.113.5", now)).toBeDefined();
    expect(built.index.lookup("ipv4", filler.at(-1) ?? "", now)).toBeDefined();
    expect(built.index.size).toBe(filler.length + 1);
  });

  it("fails a STIX text that is not a bundle as a whole", async () => {
    expect(await buildFromText("{\"type\": \"indicator\"", { kind: "stix2" }, settings, now, turns)).toMatchObject({ ok: false });
  });

  it("counts unsupported STIX patterns", async () => {
    const bundle = {
      type: "bundle",
      id: "bundle--1",
      objects: [
        { type: "indicator", spec_version: "2.1", id: "indicator--a", created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z", valid_from: "2026-01-01T00:00:00Z", pattern_type: "stix", pattern: "[ipv4-addr:value = '198.51.100.7']" },
        { type: "indicator", spec_version: "2.1", id: "indicator--b", created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z", valid_from: "2026-01-01T00:00:00Z", pattern_type: "stix", pattern: "[process:name = 'xmrig']" },
      ],
    };
    const built = await buildFromText(JSON.stringify(bundle), { kind: "stix2" }, settings, now, turns);
    expect(built).toMatchObject({ ok: true, unsupportedPatterns: 1 });
  });
});

describe("buildFromInline", () => {
  it("adds each indicator, counts expired ones and rejects bad ones by their position", async () => {
    const built = await buildFromInline(
      [
        { value: "evil.example", labels: ["phishing"], confidence: 90 },
        { value: "198.51.100.0/24" },
        { value: "not a value" },
        { value: "203.0.113.9", validUntil: "2026-05-01T00:00:00Z" },
        { value: "d41d8cd98f00b204e9800998ecf8427e", type: "md5" },
      ],
      settings,
      now,
      turns,
    );
    expect(built.rejected).toMatchObject({ count: 1, first: [{ line: 3 }] });
    expect(built.expired).toBe(1);
    expect(built.index.counts).toMatchObject({ domain: 1, ipv4: 1, md5: 1 });
    expect(built.index.lookup("ipv4", "198.51.100.20", now)?.indicator).toBe("198.51.100.0/24");
    expect(built.index.lookup("ipv4", "203.0.113.9", now)).toBeUndefined();
    expect(built.index.lookup("domain", "evil.example", now)).toMatchObject({ confidence: 90, labels: ["phishing"] });
  });
});
