/** The kinds of indicator a threat feed may hold, in the order matches are reported. */
export const INDICATOR_TYPES = ["ipv4", "ipv6", "domain", "url", "sha256", "sha1", "md5"] as const;

/** One of {@link INDICATOR_TYPES}. */
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/**
 * One indicator of compromise as a feed states it, after canonicalisation.
 *
 * `value` is canonical for its type: an IPv4 or IPv6 address in its shortest form
 * (`203.0.113.5`, `2001:db8::1`), an address range as a CIDR with the host bits cleared
 * (`10.0.0.0/8`, `2001:db8::/32`), a lower-case ASCII domain without a trailing dot (IDNs in
 * punycode), a URL as the WHATWG serialiser writes it without its fragment, a hash as
 * lower-case hex. An IPv4-mapped IPv6 address or range is an IPv4 one.
 */
export interface Indicator {
  readonly type: IndicatorType;
  readonly value: string;
  /** 0..100; the feed's default when absent. */
  readonly confidence?: number;
  /** The indicator's own labels, added to the feed's. */
  readonly labels?: readonly string[];
  /** Epoch milliseconds from which the indicator matches. */
  readonly validFrom?: number;
  /** Epoch milliseconds from which the indicator no longer matches. */
  readonly validUntil?: number;
}

/** True when `value` names an indicator type. */
export function isIndicatorType(value: unknown): value is IndicatorType {
  return typeof value === "string" && (INDICATOR_TYPES as readonly string[]).includes(value);
}
