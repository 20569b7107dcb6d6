import { formatIpRange, parseIpRange } from "../api/ip-address.ts";
import { canonicalDomain, canonicalHash, canonicalUrl } from "../api/v1alpha1/index.ts";
import type { IndicatorType } from "./indicator.ts";

/** What a source says a value is: one type, any address or range (`ip`), any hash (`hash`), or nothing (inferred). */
export type IndicatorKind = IndicatorType | "ip" | "hash" | undefined;

const HASH_TYPES: Readonly<Record<number, IndicatorType>> = { 32: "md5", 40: "sha1", 64: "sha256" };
const HASH_NAMES: Readonly<Partial<Record<IndicatorType | "hash", string>>> = {
  md5: "an MD5 hash (32 hex digits)",
  sha1: "a SHA-1 hash (40 hex digits)",
  sha256: "a SHA-256 hash (64 hex digits)",
  hash: "an MD5, SHA-1 or SHA-256 hash",
};
const MAX_QUOTED = 64;

/** `value` quoted for a reason, cut to a readable length. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
}

/**
 * One indicator value read into the binary form a feed index holds: an address or range as
 * words and a prefix length, a hash as bytes, a domain or URL as canonical text. Reused from
 * value to value so reading allocates nothing for addresses and hashes.
 */
export class IndicatorValue {
  type: IndicatorType = "ipv4";
  /** An address's words (IPv4 in word 0). */
  readonly words = new Uint32Array(4);
  /** An address's prefix length: 32 or 128 for one address. */
  prefix = 32;
  /** A hash's bytes. */
  readonly digest = Buffer.alloc(32);
  /** The canonical text of a domain, URL or hash. */
  text = "";

  /**
   * Reads trimmed `raw` as `kind`; returns undefined when it is one, else the reason naming what
   * is wrong. With `allowRange` false an address must be a single one.
   */
  read(raw: string, kind: IndicatorKind, allowRange = true): string | undefined {
    if (this.tryRead(raw, kind, allowRange)) return undefined;
    return reasonFor(raw, kind === undefined && raw.includes("://") ? "url" : kind, allowRange);
  }

  /** The canonical text of the value read last. */
  format(): string {
    return this.type === "ipv4" || this.type === "ipv6" ? formatIpRange(this.words, { version: this.type === "ipv4" ? 4 : 6, prefix: this.prefix }) : this.text;
  }

  private tryRead(raw: string, kind: IndicatorKind, allowRange: boolean): boolean {
    switch (kind) {
      case undefined:
        if (raw.includes("://")) return this.readText("url", canonicalUrl(raw));
        return this.readAddress(raw, "ip", allowRange) || this.readHash(raw, "hash") || this.readText("domain", canonicalDomain(raw));
      case "ip":
      case "ipv4":
      case "ipv6":
        return this.readAddress(raw, kind, allowRange);
      case "domain":
        return this.readText("domain", canonicalDomain(raw));
      case "url":
        return this.readText("url", canonicalUrl(raw));
      default:
        return this.readHash(raw, kind);
    }
  }

  private readAddress(raw: string, kind: "ip" | "ipv4" | "ipv6", allowRange: boolean): boolean {
    const range = parseIpRange(raw, this.words, allowRange);
    // An IPv4-mapped IPv6 value reads as IPv4 (it is the same host), so an IPv6 value is known by its colons.
    if (range === undefined || (kind === "ipv4" && range.version !== 4) || (kind === "ipv6" && !raw.includes(":"))) return false;
    this.type = range.version === 4 ? "ipv4" : "ipv6";
    this.prefix = range.prefix;
    return true;
  }

  private readText(type: "domain" | "url", canonical: string | undefined): boolean {
    if (canonical === undefined) return false;
    this.type = type;
    this.text = canonical;
    return true;
  }

  private readHash(raw: string, kind: IndicatorType | "hash"): boolean {
    const hex = canonicalHash(raw);
    const type = hex === undefined ? undefined : HASH_TYPES[hex.length];
    if (hex === undefined || type === undefined || (kind !== "hash" && kind !== type)) return false;
    this.type = type;
    this.text = hex;
    this.digest.write(hex, 0, hex.length / 2, "hex");
    return true;
  }
}

/** Why `raw` is not a value of `kind`. */
function reasonFor(raw: string, kind: IndicatorKind, allowRange: boolean): string {
  const range = allowRange ? " or CIDR range" : "";
  switch (kind) {
    case undefined:
      return `${quoted(raw)} is not an IP address${allowRange ? " or range" : ""}, a domain, a URL or a hash`;
    case "ip":
      return `${quoted(raw)} is not an IP address${range}`;
    case "ipv4":
      return `${quoted(raw)} is not an IPv4 address${range}`;
    case "ipv6":
      return `${quoted(raw)} is not an IPv6 address${range}`;
    case "domain":
      return `${quoted(raw)} is not a domain name`;
    case "url":
      return `${quoted(raw)} is not an absolute http, https or ftp URL without credentials`;
    default:
      return `${quoted(raw)} is not ${HASH_NAMES[kind] ?? HASH_NAMES.hash}`;
  }
}
