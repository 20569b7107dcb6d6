import { SocketAddress } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FeedSettings } from "./feed-settings.ts";
import type { IndicatorType } from "./indicator.ts";
import { loadFeed } from "./load-feed.ts";

const NOW = Date.UTC(2026, 0, 1);
const SETTINGS: FeedSettings = { key: "soar/generated", namespace: "soar", labels: ["feed"], defaultConfidence: 33, includeSubdomains: false };

/** A value as a feed may write it, with the type and canonical form it must read as. */
interface Written {
  readonly raw: string;
  readonly type: IndicatorType;
  readonly canonical: string;
}

const byte = fc.integer({ min: 0, max: 255 });
const maybeUpper = (text: string) => fc.boolean().map((upper) => (upper ? text.toUpperCase() : text));

const ipv4: fc.Arbitrary<Written> = fc.tuple(byte, byte, byte, byte, fc.option(fc.integer({ min: 0, max: 32 }))).map(([a, b, c, d, prefix]) => {
  const address = `${a}.${b}.${c}.${d}`;
  if (prefix === null) return { raw: address, type: "ipv4", canonical: address };
  const word = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const network = prefix === 0 ? 0 : (word & (0xffffffff << (32 - prefix))) >>> 0;
  const text = `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}`;
  return { raw: `${address}/${prefix}`, type: "ipv4", canonical: prefix === 32 ? text : `${text}/${prefix}` };
});

// The first group is not zero, so the address is neither IPv4-mapped nor one Node writes in dotted form.
const ipv6: fc.Arbitrary<Written> = fc
  .tuple(fc.integer({ min: 1, max: 0xffff }), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 7, maxLength: 7 }))
  .chain(([first, rest]) => maybeUpper([first, ...rest].map((group) => group.toString(16)).join(":")))
  .map((raw) => ({ raw, type: "ipv6", canonical: new SocketAddress({ address: raw, family: "ipv6" }).address }));

const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
const hostname = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/)).map(([labels, top]) => [...labels, top].join("."));

const domain: fc.Arbitrary<Written> = fc.tuple(hostname, fc.boolean()).chain(([name, dot]) => maybeUpper(`${name}${dot ? "." : ""}`).map((raw) => ({ raw, type: "domain" as const, canonical: name })));

const url: fc.Arbitrary<Written> = fc
  .tuple(fc.constantFrom("http", "https"), hostname, fc.boolean(), fc.stringMatching(/^[a-z0-9/]{0,12}$/), fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/)))
  .map(([scheme, host, port, path, fragment]) => ({
    raw: `${scheme.toUpperCase()}://${host.toUpperCase()}${port ? (scheme === "http" ? ":80" : ":443") : ""}/${path}${fragment === null ? "" : `#${fragment}`}`,
    type: "url" as const,
    canonical: new URL(`${scheme}://${host}/${path}`).href,
  }));

const hash: fc.Arbitrary<Written> = fc
  .constantFrom<[IndicatorType, number]>(["md5", 32], ["sha1", 40], ["sha256", 64])
  .chain(([type, length]) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`)).chain((hex) => maybeUpper(hex).map((raw) => ({ raw, type, canonical: hex }))));

const written = fc.oneof(ipv4, ipv6, domain, url, hash);

/** The canonical values expected to be held, the last listing of each winning. */
function lastListings<T extends { readonly value: Written }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [`${row.value.type} ${row.value.canonical}`, row]));
}

function countsOf(rows: Iterable<{ readonly value: Written }>): Record<string, number> {
  const counts: Record<string, number> = { ipv4: 0, ipv6: 0, domain: 0, url: 0, sha256: 0, sha1: 0, md5: 0 };
  for (const { value } of rows) counts[value.type] = (counts[value.type] ?? 0) + 1;
  return counts;
}

describe("a generated list", () => {
  const line = fc.record({
    value: written,
    before: fc.constantFrom("", "# a comment\n", "\n", "  \n"),
    after: fc.constantFrom("", " ", "\t# why", " ; SBL 1"),
  });

  it("reads back every value, canonical, by its inferred type", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), (lines, newline) => {
        const text = lines.map(({ value, before, after }) => `${before}${value.raw}${after}`).join("\n").replaceAll("\n", newline);
        const loaded = loadFeed(text, { kind: "list" }, SETTINGS, NOW);
        if (!loaded.ok) throw new Error(loaded.reason);
        expect(loaded.rejected.first).toEqual([]);
        const held = lastListings(lines);
        expect(loaded.counts).toEqual(countsOf(held.values()));
        for (const { value } of held.values()) expect(loaded.index.lookup(value.type, value.raw, NOW)?.indicator).toBe(value.canonical);
      }),
      { numRuns: 200 },
    );
  });
});

describe("a generated CSV feed", () => {
  const TYPE_SPELLINGS: Readonly<Record<IndicatorType, readonly string[]>> = {
    ipv4: ["ip", "IPv4", "ipv4-addr", "ip_dst"],
    ipv6: ["ip", "ipv6", "IPV6-ADDR"],
    domain: ["domain", "hostname", "Domain Name"],
    url: ["url", "URI", "link"],
    sha256: ["sha256", "SHA-256", "hash"],
    sha1: ["sha1", "sha-1", "hash"],
    md5: ["md5", "MD5", "hash"],
  };
  const cellLabel = fc.stringMatching(/^[a-z,"](?:[a-z ,"]{0,6}[a-z,"])?$/);
  const row = written.chain((value) =>
    fc.record({
      value: fc.constant(value),
      type: fc.constantFrom("", ...TYPE_SPELLINGS[value.type]),
      confidence: fc.option(fc.integer({ min: 0, max: 100 })),
      labels: fc.array(cellLabel, { maxLength: 3 }),
      separator: fc.constantFrom(";", "|", " ; "),
      expiresInHours: fc.option(fc.integer({ min: 1, max: 1000 })),
    }),
  );
  const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

  it("reads back every value with its confidence, labels and expiry", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), (rows) => {
        const records = rows.map((generated) => {
          const expires = generated.expiresInHours === null ? "" : new Date(NOW + generated.expiresInHours * 3_600_000).toISOString();
          return [generated.value.raw, generated.type, generated.confidence ?? "", generated.labels.join(generated.separator), expires].map(String).map(quote).join(",");
        });
        const text = ["value,type,confidence,labels,expires", ...records].join("\r\n");
        const loaded = loadFeed(text, { kind: "csv", valueColumn: "value", typeColumn: "type", confidenceColumn: "confidence", labelsColumn: "labels", expiresColumn: "expires", header: true }, SETTINGS, NOW);
        if (!loaded.ok) throw new Error(loaded.reason);
        expect(loaded.rejected.first).toEqual([]);
        const held = lastListings(rows);
        expect(loaded.counts).toEqual(countsOf(held.values()));
        for (const { value, confidence, labels, expiresInHours } of held.values()) {
          expect(loaded.index.lookup(value.type, value.canonical, NOW)).toEqual({
            type: value.type,
            indicator: value.canonical,
            confidence: confidence ?? SETTINGS.defaultConfidence,
            labels: [...new Set(["feed", ...labels])],
          });
          // Once expired the value no longer matches itself (a wider range listed may still hold it).
          if (expiresInHours !== null) expect(loaded.index.lookup(value.type, value.canonical, NOW + expiresInHours * 3_600_000)?.indicator).not.toBe(value.canonical);
        }
      }),
      { numRuns: 200 },
    );
  });
});
