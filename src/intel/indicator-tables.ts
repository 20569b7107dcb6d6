import { formatIPv4, formatIPv6 } from "../api/ip-address.ts";
import { DigestTable } from "./digest-table.ts";
import { INDICATOR_TYPES, type IndicatorType } from "./indicator.ts";
import type { IndicatorValue } from "./indicator-value.ts";
import { PrefixTable, type TagValidity } from "./prefix-table.ts";
import { StringTable } from "./string-table.ts";

const MAPPED_WORD = 0xffff;
const MAPPED_PREFIX = 96;
const ALWAYS_VALID: TagValidity = { validAt: () => true };

/** Where a lookup found its indicator: the tag, and the canonical text of the indicator. */
export interface TableHit {
  readonly type: IndicatorType;
  readonly tag: number;
  readonly indicator: string;
}

/**
 * The tables of one feed, one per kind of value: addresses and ranges by version, domains, URLs,
 * and hashes by algorithm. Each value is held once, with its attribute tag.
 */
export class IndicatorTables {
  private readonly ipv4 = new PrefixTable(1);
  private readonly ipv6 = new PrefixTable(4);
  private readonly domains = new StringTable();
  private readonly urls = new StringTable();
  private readonly digests: Readonly<Record<"sha256" | "sha1" | "md5", DigestTable>> = {
    sha256: new DigestTable(32),
    sha1: new DigestTable(20),
    md5: new DigestTable(16),
  };
  private readonly found = new Uint32Array(4);
  private readonly mapped = new Uint32Array(4);

  /** Holds `value` with `tag`, replacing the tag of an equal value; true when the value is new. */
  set(value: IndicatorValue, tag: number): boolean {
    switch (value.type) {
      case "ipv4":
        return this.ipv4.set(value.words, value.prefix, tag);
      case "ipv6":
        return this.ipv6.set(value.words, value.prefix, tag);
      case "domain":
        return this.domains.set(value.text, tag);
      case "url":
        return this.urls.set(value.text, tag);
      default:
        return this.digests[value.type].set(value.digest, tag);
    }
  }

  /** True when `value` itself is held (not merely a range or parent domain holding it). */
  has(value: IndicatorValue): boolean {
    switch (value.type) {
      case "ipv4":
        return this.ipv4.has(value.words, value.prefix);
      case "ipv6":
        return this.ipv6.has(value.words, value.prefix);
      default:
        return this.find(value, false, ALWAYS_VALID, 0) !== undefined;
    }
  }

  /**
   * The indicator matching `value` whose tag `accept` takes: for an address or range the most
   * specific range holding it (an IPv4 value also in IPv6 ranges holding its IPv4-mapped
   * address), for a domain the domain or, with `subdomains`, its nearest listed parent, else the
   * equal value.
   */
  find(value: IndicatorValue, subdomains: boolean, validity: TagValidity, now: number): TableHit | undefined {
    switch (value.type) {
      case "ipv4":
        return this.findIPv4(value, validity, now);
      case "ipv6":
        return this.findRange(this.ipv6, "ipv6", value.words, value.prefix, validity, now);
      case "domain":
        return this.findDomain(value.text, subdomains, validity, now);
      case "url":
        return hitOf("url", this.urls.tagOf(value.text, 0, value.text.length), value.text, validity, now);
      default:
        return hitOf(value.type, this.digests[value.type].tagOf(value.digest), value.text, validity, now);
    }
  }

  /** The number of values held, by type. */
  counts(): Record<IndicatorType, number> {
    const sizes: Record<IndicatorType, number> = {
      ipv4: this.ipv4.size,
      ipv6: this.ipv6.size,
      domain: this.domains.size,
      url: this.urls.size,
      sha256: this.digests.sha256.size,
      sha1: this.digests.sha1.size,
      md5: this.digests.md5.size,
    };
    return Object.fromEntries(INDICATOR_TYPES.map((type) => [type, sizes[type]])) as Record<IndicatorType, number>;
  }

  /** Releases spare room; call once no more values come. */
  trim(): void {
    this.domains.trim();
    this.urls.trim();
    for (const table of Object.values(this.digests)) table.trim();
  }

  /** Bytes held by the tables' arrays. */
  get byteLength(): number {
    return [this.ipv4, this.ipv6, this.domains, this.urls, ...Object.values(this.digests)].reduce((sum, table) => sum + table.byteLength, 0);
  }

  private findIPv4(value: IndicatorValue, validity: TagValidity, now: number): TableHit | undefined {
    const hit = this.findRange(this.ipv4, "ipv4", value.words, value.prefix, validity, now);
    if (hit !== undefined || this.ipv6.size === 0) return hit;
    this.mapped[0] = 0;
    this.mapped[1] = 0;
    this.mapped[2] = MAPPED_WORD;
    this.mapped[3] = value.words[0] ?? 0;
    return this.findRange(this.ipv6, "ipv6", this.mapped, MAPPED_PREFIX + value.prefix, validity, now);
  }

  private findRange(table: PrefixTable, type: "ipv4" | "ipv6", words: Uint32Array, prefix: number, validity: TagValidity, now: number): TableHit | undefined {
    const slot = table.find(words, prefix, validity, now);
    if (slot < 0) return undefined;
    const network = table.wordsAt(slot, this.found);
    const held = table.prefixAt(slot);
    const full = type === "ipv4" ? 32 : 128;
    const address = type === "ipv4" ? formatIPv4(network[0] ?? 0) : formatIPv6(network);
    return { type, tag: table.tagAt(slot), indicator: held === full ? address : `${address}/${held}` };
  }

  private findDomain(domain: string, subdomains: boolean, validity: TagValidity, now: number): TableHit | undefined {
    const exact = hitOf("domain", this.domains.tagOf(domain, 0, domain.length), domain, validity, now);
    if (exact !== undefined || !subdomains) return exact;
    for (let dot = domain.indexOf("."); dot >= 0; dot = domain.indexOf(".", dot + 1)) {
      if (domain.indexOf(".", dot + 1) < 0) break;
      const tag = this.domains.tagOf(domain, dot + 1, domain.length);
      if (tag !== 0 && validity.validAt(tag, now)) return { type: "domain", tag, indicator: domain.slice(dot + 1) };
    }
    return undefined;
  }
}

function hitOf(type: IndicatorType, tag: number, indicator: string, validity: TagValidity, now: number): TableHit | undefined {
  return tag !== 0 && validity.validAt(tag, now) ? { type, tag, indicator } : undefined;
}
