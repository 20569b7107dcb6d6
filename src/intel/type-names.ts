import type { IndicatorKind } from "./indicator-value.ts";

// Spellings of indicator types in CSV feeds (plain, STIX object types, MISP attribute types),
// compared in lower case with `_` and spaces read as `-`.
const KINDS: Readonly<Record<string, Exclude<IndicatorKind, undefined>>> = {
  "ip": "ip",
  "ip-addr": "ip",
  "ip-address": "ip",
  "ipaddress": "ip",
  "ip-src": "ip",
  "ip-dst": "ip",
  "cidr": "ip",
  "ip-range": "ip",
  "netblock": "ip",
  "ipv4": "ipv4",
  "ipv4-addr": "ipv4",
  "ipv4-address": "ipv4",
  "ipv4-cidr": "ipv4",
  "ipv6": "ipv6",
  "ipv6-addr": "ipv6",
  "ipv6-address": "ipv6",
  "ipv6-cidr": "ipv6",
  "domain": "domain",
  "domain-name": "domain",
  "domainname": "domain",
  "hostname": "domain",
  "host": "domain",
  "fqdn": "domain",
  "url": "url",
  "uri": "url",
  "link": "url",
  "sha256": "sha256",
  "sha-256": "sha256",
  "sha1": "sha1",
  "sha-1": "sha1",
  "md5": "md5",
  "hash": "hash",
  "filehash": "hash",
  "file-hash": "hash",
};

/** The spellings a CSV type column accepts. */
export const TYPE_NAMES: readonly string[] = Object.keys(KINDS);

/**
 * The kind a type cell names: undefined for an empty cell (the type is inferred), null for a
 * name that is none of {@link TYPE_NAMES}.
 */
export function kindOfTypeName(cell: string): IndicatorKind | null {
  if (cell === "") return undefined;
  if (Object.hasOwn(KINDS, cell)) return KINDS[cell] ?? null;
  const name = cell.toLowerCase().replaceAll(/[_ ]/g, "-");
  return Object.hasOwn(KINDS, name) ? (KINDS[name] ?? null) : null;
}
