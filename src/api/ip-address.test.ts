import { isIP } from "node:net";
import { SocketAddress } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalIpAddress, formatIPv6, parseIPv4, parseIpRange } from "./ip-address.ts";

describe("parseIPv4", () => {
  it.each<[string, number]>([
    ["0.0.0.0", 0],
    ["255.255.255.255", 0xffffffff],
    ["203.0.113.5", 0xcb007105],
    ["256.0.0.1", -1],
    ["010.0.0.1", -1],
    ["1.2.3", -1],
    ["1.2.3.4.5", -1],
    ["1.2.3.", -1],
    ["1..2.3", -1],
    ["1.2.3.4 ", -1],
    ["1234.1.1.1", -1],
    ["", -1],
  ])("%j → %d", (text, word) => {
    expect(parseIPv4(text)).toBe(word);
  });
});

describe("canonicalIpAddress", () => {
  it.each<[string, string | undefined]>([
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["::1", "::1"],
    ["1::", "1::"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["::10.1.2.3", "::a01:203"],
    ["1:2:3:4:5:6:7:8:9", undefined],
    ["1:2:3:4:5:6:7:8::", undefined],
    [":1::2", undefined],
    ["1::2::3", undefined],
    ["12345::1", undefined],
    ["fe80::1%eth0", undefined],
    ["1:", undefined],
    ["10.0.0.0/8", undefined],
  ])("%j → %j", (text, canonical) => {
    expect(canonicalIpAddress(text)).toBe(canonical);
  });

  it("accepts exactly the IPv6 addresses Node accepts, writing the address Node reads", () => {
    const v6 = fc.record({
      groups: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
      compress: fc.nat(8),
      length: fc.nat(8),
      upper: fc.boolean(),
    });
    const nodeText = (address: string): string => new SocketAddress({ address, family: isIP(address) === 4 ? "ipv4" : "ipv6" }).address;
    fc.assert(
      fc.property(v6, ({ groups, compress, length, upper }) => {
        const hex = groups.map((group) => group.toString(16));
        const text = compress + length <= 8 && length >= 1 ? `${hex.slice(0, compress).join(":")}::${hex.slice(compress + length).join(":")}` : hex.join(":");
        const written = upper ? text.toUpperCase() : text;
        const canonical = canonicalIpAddress(written);
        if (isIP(written) === 0) {
          expect(canonical).toBeUndefined();
          return;
        }
        const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
        expect(canonical).toBeDefined();
        if (canonical === undefined) return;
        if (mapped) expect(nodeText(`::ffff:${canonical}`)).toBe(nodeText(written));
        else expect(nodeText(canonical)).toBe(nodeText(written));
        expect(canonicalIpAddress(canonical)).toBe(canonical);
      }),
    );
  });

  it("refuses what Node refuses, on arbitrary text", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F:.%/]{0,45}$/), (text) => {
        if (isIP(text) === 0) expect(canonicalIpAddress(text)).toBeUndefined();
        else expect(canonicalIpAddress(text)).toBeDefined();
      }),
    );
  });
});

describe("parseIpRange", () => {
  it.each<[string, string | undefined]>([
    ["10.0.0.0/8", "10.0.0.0/8 v4"],
    ["10.1.2.3/8", "10.0.0.0/8 v4"],
    ["10.1.2.3/32", "10.1.2.3/32 v4"],
    ["0.0.0.0/0", "0.0.0.0/0 v4"],
    ["2001:db8::/32", "2001:db8::/32 v6"],
    ["2001:db8:ffff::1/33", "2001:db8:8000::/33 v6"],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8 v4"],
    ["::ffff:0:0/96", "0.0.0.0/0 v4"],
    ["::/95", "::/95 v6"],
    ["10.0.0.0/33", undefined],
    ["10.0.0.0/08", undefined],
    ["10.0.0.0/", undefined],
    ["10.0.0.0/-1", undefined],
    ["2001:db8::/129", undefined],
  ])("%j → %j", (text, expected) => {
    const words = new Uint32Array(4);
    const range = parseIpRange(text, words, true);
    const written = range === undefined ? undefined : `${range.version === 4 ? [words[0] ?? 0].map((word) => `${word >>> 24}.${(word >>> 16) & 255}.${(word >>> 8) & 255}.${word & 255}`)[0] ?? "" : formatIPv6(words)}/${range.prefix} v${range.version}`;
    expect(written).toBe(expected);
  });

  it("reads no range unless asked", () => {
    expect(parseIpRange("10.0.0.0/8", new Uint32Array(4), false)).toBeUndefined();
  });
});
