import { describe, expect, it } from "vitest";
import { canonicalObservable, isObservableType } from "./observable-values.ts";
import type { ObservableType } from "./types.generated.ts";

describe("canonicalObservable", () => {
  it.each<[ObservableType, unknown, string | undefined]>([
    ["ip", "203.0.113.45", "203.0.113.45"],
    ["ip", "2001:DB8::1", "2001:db8::1"],
    ["ip", "256.1.1.1", undefined],
    ["ip", "010.0.0.1", undefined],
    ["ip", "fe80::1%eth0", undefined],
    ["ip", "10.244.1.17:48122", undefined],
    ["ip", 3232235777, undefined],
    ["domain", "Pool.MineXMR.example.", "pool.minexmr.example"],
    ["domain", "xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["domain", "localhost", undefined],
    ["domain", "1.2.3.4", undefined],
    ["domain", "bad_label.example", undefined],
    ["domain", "-lead.example", undefined],
    ["domain", "a.b.c.123", undefined],
    ["domain", "evil.example; rm -rf /", undefined],
    ["hash", "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"],
    ["hash", `sha256:${"a".repeat(64)}`, "a".repeat(64)],
    ["hash", "a".repeat(40), "a".repeat(40)],
    ["hash", "a".repeat(39), undefined],
    ["hash", "g".repeat(32), undefined],
    ["user", "root", "root"],
    ["user", "alice@example.com", "alice@example.com"],
    ["user", "system:serviceaccount:ns:sa", "system:serviceaccount:ns:sa"],
    ["user", "${{ event.data }}", undefined],
    ["user", "a b", undefined],
    ["user", "", undefined],
    ["process", "/var/lib/.x/xmrig", "/var/lib/.x/xmrig"],
    ["process", "kworker/0:1", "kworker/0:1"],
    ["process", "sh -c id", undefined],
    ["process", "$(id)", undefined],
    ["url", "https://Evil.example/x?q=1", "https://evil.example/x?q=1"],
    ["url", "ftp://files.example/a", "ftp://files.example/a"],
    ["url", "javascript:alert(1)", undefined],
    ["ip", "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["ip", "2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"],
    ["ip", "::ffff:203.0.113.45", "203.0.113.45"],
    ["ip", "::FFFF:cb00:712d", "203.0.113.45"],
    ["ip", "10.0.0.0/8", undefined],
    ["domain", "Bücher.Example", "xn--bcher-kva.example"],
    ["domain", "a".repeat(64) + ".example", undefined],
    ["url", "HTTPS://Evil.Example:443/a/../b?q=1#frag", "https://evil.example/b?q=1"],
    ["url", "http://Bücher.example:8080/x", "http://xn--bcher-kva.example:8080/x"],
    ["url", "https://user:pw@evil.example/", undefined],
    ["url", "https://evil.example/a b", undefined],
    ["url", "/relative", undefined],
  ])("%s %j → %j", (type, raw, value) => {
    expect(canonicalObservable(type, raw)).toBe(value);
  });
});

describe("isObservableType", () => {
  it.each([["ip", true], ["hash", true], ["sha256", false], [1, false]])("%j → %s", (value, expected) => {
    expect(isObservableType(value)).toBe(expected);
  });
});

describe("canonical forms of domains and hashes", () => {
  it.each<[string, string | undefined]>([
    ["Evil.Example", "evil.example"],
    ["evil.example.", "evil.example"],
    ["evil.example..", undefined],
    [".evil.example", undefined],
    ["a..example", undefined],
    ["evil-.example", undefined],
    ["a.xn--p1ai", "a.xn--p1ai"],
    ["a.x", undefined],
    ["a.example-", undefined],
    ["a\u0010b.example", undefined],
    [`${"a".repeat(63)}.example`, `${"a".repeat(63)}.example`],
    [`${"a.".repeat(125)}example`, undefined],
  ])("domain %j → %j", (raw, canonical) => {
    expect(canonicalObservable("domain", raw)).toBe(canonical);
  });

  it.each<[string, string | undefined]>([
    [`SHA256:${"AB".repeat(32)}`, "ab".repeat(32)],
    [`md5:${"0".repeat(32)}`, "0".repeat(32)],
    [`sha1:${"0".repeat(32)}`, "0".repeat(32)],
    [`sha384:${"0".repeat(32)}`, undefined],
    ["0".repeat(128), "0".repeat(128)],
    [`${"0".repeat(31)}\u0010`, undefined],
    [`${"0".repeat(31)}:`, undefined],
  ])("hash %j → %j", (raw, canonical) => {
    expect(canonicalObservable("hash", raw)).toBe(canonical);
  });
});
