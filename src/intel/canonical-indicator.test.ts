import { describe, expect, it } from "vitest";
import { canonicalIndicator, type CanonicalIndicator } from "./canonical-indicator.ts";
import type { IndicatorType } from "./indicator.ts";

describe("canonicalIndicator", () => {
  it.each<[string, IndicatorType | undefined, CanonicalIndicator]>([
    ["198.51.100.7", undefined, { type: "ipv4", value: "198.51.100.7" }],
    ["198.51.100.7/24", undefined, { type: "ipv4", value: "198.51.100.0/24" }],
    ["198.51.100.7/32", undefined, { type: "ipv4", value: "198.51.100.7" }],
    ["2001:0DB8::0/32", undefined, { type: "ipv6", value: "2001:db8::/32" }],
    ["::ffff:198.51.100.7", "ipv6", { type: "ipv4", value: "198.51.100.7" }],
    [" Evil.Example. ", undefined, { type: "domain", value: "evil.example" }],
    ["bücher.example", "domain", { type: "domain", value: "xn--bcher-kva.example" }],
    ["HTTP://Evil.Example:80/a/./b?x#y", undefined, { type: "url", value: "http://evil.example/a/b?x" }],
    ["D41D8CD98F00B204E9800998ECF8427E", undefined, { type: "md5", value: "d41d8cd98f00b204e9800998ecf8427e" }],
    [`sha256:${"F".repeat(64)}`, "sha256", { type: "sha256", value: "f".repeat(64) }],
    ["198.51.100.7", "domain", { reason: '"198.51.100.7" is not a domain name' }],
    ["2001:db8::1", "ipv4", { reason: '"2001:db8::1" is not an IPv4 address or CIDR range' }],
    ["198.51.100.7", "ipv6", { reason: '"198.51.100.7" is not an IPv6 address or CIDR range' }],
    ["javascript:alert(1)", "url", { reason: '"javascript:alert(1)" is not an absolute http, https or ftp URL without credentials' }],
    ["ftp://user:pw@files.example/", undefined, { reason: '"ftp://user:pw@files.example/" is not an absolute http, https or ftp URL without credentials' }],
    ["a".repeat(128), undefined, { reason: `"${"a".repeat(64)}…" is not an IP address or range, a domain, a URL or a hash` }],
    ["localhost", undefined, { reason: '"localhost" is not an IP address or range, a domain, a URL or a hash' }],
  ])("%j as %s", (raw, type, expected) => {
    expect(canonicalIndicator(raw, type)).toEqual(expected);
  });
});
