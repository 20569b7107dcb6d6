import { formatIPv4, formatIPv6 } from "../api/ip-address.ts";
import { DigestTable } from "./digest-table.ts";
import { INDICATOR_TYPES, type IndicatorType } from "./indicator.ts";
import type { IndicatorValue } from "./indicator-value.ts";
import { PrefixTable, type TagValidity } from "./prefix-table.ts";
import { SortedIPv4Ranges } from "./sorted-ipv4-ranges.ts";
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
 * and hashes by algorithm. Each value is held once, with its attribute tag. Values are added,
 * then the tables are frozen (IPv4 ranges move from a hash table to a sorted one) and looked up.
 */
export class IndicatorTables {
  private ipv4Added: PrefixTable | undefined = new PrefixTable(1);
  private ipv4 = SortedIPv4Ranges.empty();
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
        return this.addedIPv4().set(value.words, value.prefix, tag);
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
        return this.addedIPv4().has(value.words, value.prefix);
      case "ipv6":
        return this.ipv6.has(value.words, value.prefix);
      default:
        return this.find(value, false, ALWAYS_VALID, 0) !== undefined;
    }
  }

  /**
   * Once frozen, the indicator matching `value` whose tag `accept` takes: for an address or range the most
   * specific range holding it (an IPv4 value also in IPv6 ranges holding its IPv4-mapped
   * address), for a domain the domain or, with `subdomains`, its nearest listed parent, else the
   * equal value.
   */
  find(value: IndicatorValue, subdomains: boolean, validity: TagValidity, now: number): TableHit | undefined {
    switch (value.type) {
      case "ipv4":
        return this.findIPv4(value, validity, now);
      case "ipv6":
        return this.findIPv6(value.words, value.prefix, validity, now);
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
      ipv4: this.ipv4Added?.size ?? this.ipv4.size,
      ipv6: this.ipv6.size,
      domain: this.domains.size,
      url: this.urls.size,
      sha256: this.digests.sha256.size,
      sha1: this.digests.sha1.size,
      md5: this.digests.md5.size,
    };
    return Object.fromEntries(INDICATOR_TYPES.map((type) => [type, sizes[type]])) as Record<IndicatorType, number>;
  }

  /** Readies the tables for lookups and releases spare room; no value may be added afterwards. */
  freeze(): void {
    if (this.ipv4Added === undefined) return;
    this.ipv4 = SortedIPv4Ranges.from(this.ipv4Added);
    this.ipv4Added = undefined;
    this.domains.trim();
    this.urls.trim();
    for (const table of Object.values(this.digests)) table.trim();
  }

  /** Bytes held by the tables' arrays. */
  get byteLength(): number {
    return [this.ipv4Added ?? this.ipv4, this.ipv6, this.domains, this.urls, ...Object.values(this.digests)].reduce((sum, table) => sum + table.byteLength, 0);
  }

  private addedIPv4(): PrefixTable {
    if (this.ipv4Added === undefined) throw new Error("IndicatorTables: no value may be added once frozen");
    return this.ipv4Added;
  }

  private findIPv4(value: IndicatorValue, validity: TagValidity, now: number): TableHit | undefined {
    const word = value.words[0] ?? 0;
    const entry = this.ipv4.find(word, value.prefix, validity, now);
    if (entry >= 0) {
      const prefix = this.ipv4.prefixAt(entry);
      const address = formatIPv4(this.ipv4.networkAt(entry));
      return { type: "ipv4", tag: this.ipv4.tagAt(entry), indicator: prefix === 32 ? address : `${address}/${prefix}` };
    }
    if (this.ipv6.size === 0) return undefined;
    this.mapped[0] = 0;
    this.mapped[1] = 0;
    this.mapped[2] = MAPPED_WORD;
    this.mapped[3] = word;
    return this.findIPv6(this.mapped, MAPPED_PREFIX + value.prefix, validity, now);
  }

  private findIPv6(words: Uint32Array, prefix: number, validity: TagValidity, now: number): TableHit | undefined {
    const slot = this.ipv6.find(words, prefix, validity, now);
    if (slot < 0) return undefined;
    const held = this.ipv6.prefixAt(slot);
    const address = formatIPv6(this.ipv6.wordsAt(slot, this.found));
    return { type: "ipv6", tag: this.ipv6.tagAt(slot), indicator: held === 128 ? address : `${address}/${held}` };
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
