import { describe, expect, it } from "vitest";
import { parseStixPattern, type StixComparison } from "./stix-pattern.ts";

describe("parseStixPattern", () => {
  it.each<[string, readonly StixComparison[]]>([
    ["[ipv4-addr:value = '198.51.100.1']", [{ kind: "ipv4", value: "198.51.100.1" }]],
    ["[ipv4-addr:value='198.51.100.0/24']", [{ kind: "ipv4", value: "198.51.100.0/24" }]],
    ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", [{ kind: "ipv4", value: "198.51.100.0/24" }]],
    ["[ipv6-addr:value = '2001:db8::1']", [{ kind: "ipv6", value: "2001:db8::1" }]],
    ["[domain-name:value = 'evil.example']", [{ kind: "domain", value: "evil.example" }]],
    ["[url:value = 'https://evil.example/it\\'s']", [{ kind: "url", value: "https://evil.example/it's" }]],
    ["[url:value = 'https://evil.example/a\\\\b']", [{ kind: "url", value: "https://evil.example/a\\b" }]],
    ["[file:hashes.'SHA-256' = 'aa']", [{ kind: "sha256", value: "aa" }]],
    ["[file:hashes.SHA256 = 'aa']", [{ kind: "sha256", value: "aa" }]],
    ["[file:hashes.'SHA-1' = 'aa']", [{ kind: "sha1", value: "aa" }]],
    ["[file:hashes.MD5 = 'aa']", [{ kind: "md5", value: "aa" }]],
    [
      " [ domain-name:value = 'a.example' OR domain-name:value = 'b.example' ] ",
      [
        { kind: "domain", value: "a.example" },
        { kind: "domain", value: "b.example" },
      ],
    ],
    [
      "[ipv4-addr:value = '192.0.2.1'] OR [file:hashes.MD5 = 'aa'] or [url:value = 'http://x.example/']",
      [
        { kind: "ipv4", value: "192.0.2.1" },
        { kind: "md5", value: "aa" },
        { kind: "url", value: "http://x.example/" },
      ],
    ],
  ])("%s", (pattern, comparisons) => {
    expect(parseStixPattern(pattern)).toEqual(comparisons);
  });

  it.each([
    "[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']",
    "[ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '192.0.2.1'] WITHIN 300 SECONDS",
    "[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES",
    "([ipv4-addr:value = '192.0.2.1'])",
    "[ipv4-addr:value != '192.0.2.1']",
    "[domain-name:value ISSUBSET 'a.example']",
    "[domain-name:value LIKE '%.example']",
    "[domain-name:value MATCHES '^a']",
    "[domain-name:value IN ('a.example', 'b.example')]",
    "[email-addr:value = 'a@example.com']",
    "[file:name = 'evil.exe']",
    "[file:hashes.'SHA-512' = 'aa']",
    "[network-traffic:dst_ref.value = '192.0.2.1']",
    "NOT [ipv4-addr:value = '192.0.2.1']",
    "[ipv4-addr:value = '192.0.2.1'",
    "[ipv4-addr:value = '192.0.2.1]",
    "[ipv4-addr:value = '\\x']",
    "[ipv4-addr:value = 192]",
    "[ipv4-addr:value = '192.0.2.1'] extra",
    "",
  ])("%j is not supported", (pattern) => {
    expect(parseStixPattern(pattern)).toBeUndefined();
  });

  it("reads hostile patterns in one pass", () => {
    expect(parseStixPattern("[".repeat(1_000_000))).toBeUndefined();
    expect(parseStixPattern(`[domain-name:value = '${"\\'".repeat(500_000)}`)).toBeUndefined();
    expect(parseStixPattern(`[${"ipv4-addr:value = '192.0.2.1' OR ".repeat(20_000)}ipv4-addr:value = '192.0.2.1']`)).toHaveLength(20_001);
    expect(parseStixPattern(`[file:hashes.${"'".repeat(1_000_000)}`)).toBeUndefined();
  });
});
