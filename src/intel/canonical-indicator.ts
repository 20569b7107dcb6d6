import type { IndicatorType } from "./indicator.ts";
import { IndicatorValue } from "./indicator-value.ts";

/** A value in canonical form with its type, or why it is not an indicator. */
export type CanonicalIndicator = { readonly type: IndicatorType; readonly value: string } | { readonly reason: string };

/**
 * The canonical form of `raw` (see `Indicator.value`) as an indicator of `type`, or of the type
 * its form shows when `type` is absent: a URL has a scheme, a hash is 32, 40 or 64 hex digits,
 * an address or CIDR range parses as IPv4 or IPv6, anything else must be a domain. The reason
 * of a refusal names what is wrong with the value.
 */
export function canonicalIndicator(raw: string, type?: IndicatorType): CanonicalIndicator {
  const value = new IndicatorValue();
  const problem = value.read(raw.trim(), type);
  return problem === undefined ? { type: value.type, value: value.format() } : { reason: problem };
}
