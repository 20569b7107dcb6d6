import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIpRange } from "../api/ip-address.ts";
import { FeedIndexBuilder } from "./feed-index-builder.ts";
import type { FeedSettings } from "./feed-settings.ts";

const SETTINGS: FeedSettings = { key: "soar/ranges", namespace: "soar", labels: [], defaultConfidence: 50, includeSubdomains: false };

/** A range as the test states it: its bits (any host bits set), its prefix length, and when it is valid. */
interface StatedRange {
  readonly bits: bigint;
  readonly prefix: number;
  readonly validFrom: number | undefined;
  readonly validUntil: number | undefined;
}

/** The naive reference: the longest listed range (the last listing of each) holding `probe` and valid at `now`. */
function reference(ranges: readonly StatedRange[], width: number, probe: bigint, now: number): string | undefined {
  const held = new Map<string, StatedRange & { network: bigint }>();
  for (const range of ranges) {
    const network = (range.bits >> BigInt(width - range.prefix)) << BigInt(width - range.prefix);
    held.set(`${network}/${range.prefix}`, { ...range, network });
  }
  let best: (StatedRange & { network: bigint }) | undefined;
  for (const range of held.values()) {
    const shift = BigInt(width - range.prefix);
    const valid = (range.validFrom ?? -Infinity) <= now && now < (range.validUntil ?? Infinity);
    if (valid && probe >> shift === range.network >> shift && (best === undefined || range.prefix > best.prefix)) best = range;
  }
  return best === undefined ? undefined : `${best.network}/${best.prefix}`;
}

/** The number and prefix length of an indicator the index reported. */
function numeric(indicator: string, width: number): string {
  const words = new Uint32Array(4);
  const range = parseIpRange(indicator, words, true);
  if (range === undefined) throw new Error(`the index reported ${indicator}, not an address or range`);
  const value = width === 32 ? BigInt(words[0] ?? 0) : [...words].reduce((sum, word) => (sum << 32n) + BigInt(word), 0n);
  return `${value}/${range.prefix}`;
}

function text(bits: bigint, width: number): string {
  if (width === 32) return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 255n)).join(".");
  return Array.from({ length: 8 }, (_, group) => ((bits >> BigInt(112 - group * 16)) & 0xffffn).toString(16)).join(":");
}

/**
 * Ranges and probes clustered around a few anchors, so ranges nest and probes often fall inside
 * them; every probe is also tried at three times against ranges valid at some of them.
 */
function scenario(width: number) {
  const bits = fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n });
  const near = (anchors: readonly bigint[]) =>
    fc.tuple(fc.nat(anchors.length - 1), fc.nat(width), bits).map(([anchor, keep, noise]) => {
      const low = (1n << BigInt(width - keep)) - 1n;
      return ((anchors[anchor] ?? 0n) & ~low) | (noise & low);
    });
  const time = fc.constantFrom(undefined, 10, 20);
  // IPv6 starts with a non-zero group: the IPv4-mapped block reads as IPv4, which has its own test.
  const anchors = fc.array(bits.map((value) => (width === 128 ? value | (1n << 127n) : value)), { minLength: 1, maxLength: 4 });
  return anchors.chain((anchorList) =>
    fc.record({
      ranges: fc.array(
        fc.record({ bits: near(anchorList), prefix: fc.integer({ min: width === 32 ? 0 : 1, max: width }), validFrom: time, validUntil: time }).map((range) => ({
          ...range,
          validUntil: range.validFrom !== undefined && range.validUntil !== undefined && range.validUntil <= range.validFrom ? undefined : range.validUntil,
        })),
        { maxLength: 40 },
      ),
      probes: fc.array(fc.oneof(near(anchorList), bits), { minLength: 1, maxLength: 20 }),
    }),
  );
}

describe.each([
  ["ipv4", 32],
  ["ipv6", 128],
] as const)("the %s index against a naive longest-prefix match", (type, width) => {
  it("finds the longest valid range holding each probe, or none", () => {
    fc.assert(
      fc.property(scenario(width), ({ ranges, probes }) => {
        const builder = new FeedIndexBuilder(SETTINGS, 0);
        for (const range of ranges) {
          const problem = builder.add({ type, value: `${text(range.bits, width)}/${range.prefix}`, validFrom: range.validFrom, validUntil: range.validUntil });
          expect(problem).toBeUndefined();
        }
        const index = builder.build();
        for (const probe of probes) {
          for (const now of [5, 15, 25]) {
            const hit = index.lookup(type, text(probe, width), now);
            expect(hit === undefined ? undefined : numeric(hit.indicator, width)).toBe(reference(ranges, width, probe, now));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
