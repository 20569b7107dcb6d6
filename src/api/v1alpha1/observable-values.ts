import { domainToASCII } from "node:url";
import { canonicalIpAddress } from "../ip-address.ts";
import { OBSERVABLE_TYPES } from "./constants.ts";
import type { ObservableType } from "./types.generated.ts";

// The one home of canonical observable values: intake writes an Incident's observables with these
// functions and threat-intelligence feeds hold their indicators in the same forms, so a value
// matches an indicator exactly when both canonicalise alike.

const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const HASH_PREFIXES: readonly string[] = ["md5", "sha1", "sha256", "sha512"];
const HASH_LENGTHS: readonly number[] = [32, 40, 64, 128];
const MAX_LABEL_LENGTH = 63;
const LOWER_HEX = 1;
const UPPER_HEX = 2;
/** By character code below 128: whether it is a hex digit, and in which case. */
const HEX_DIGITS = Uint8Array.from({ length: 128 }, (_, code) => {
  const character = String.fromCharCode(code);
  if (/[0-9a-f]/.test(character)) return LOWER_HEX;
  return /[A-F]/.test(character) ? UPPER_HEX : 0;
});
const DOT = 46;
const HYPHEN = 45;
const NON_ASCII = /[\u0080-\uffff]/;
const USER = /^[\p{L}\p{N}._@:\\/+=-]{1,256}$/u;
const PROCESS = /^[\p{L}\p{N}._+/:@-]{1,256}$/u;
const URL_PROTOCOLS: readonly string[] = ["http:", "https:", "ftp:"];
const MAX_DOMAIN_LENGTH = 253;
/** The longest URL an observable or indicator may be. */
export const MAX_URL_LENGTH = 2048;

/**
 * The canonical IP address: IPv4 dotted-quad, IPv6 as RFC 5952 writes it (`2001:db8::1`), an
 * IPv4-mapped IPv6 address as its IPv4 address; undefined for anything else (a zone, a port, a
 * range, an octal-looking part).
 */
export function canonicalIp(value: string): string | undefined {
  return canonicalIpAddress(value);
}

/**
 * The canonical domain: lower-case ASCII (an internationalised name in punycode), without a
 * trailing dot, at least two labels of letters, digits and inner hyphens, and an alphabetic or
 * punycode top-level label; undefined for anything else (an IP address, `localhost`).
 */
export function canonicalDomain(value: string): string | undefined {
  const ascii = NON_ASCII.test(value) ? domainToASCII(value) : value;
  const end = ascii.charCodeAt(ascii.length - 1) === DOT ? ascii.length - 1 : ascii.length;
  if (end > MAX_DOMAIN_LENGTH) return undefined;
  let labelStart = 0;
  let labels = 0;
  for (let index = 0; index <= end; index++) {
    const code = index === end ? DOT : ascii.charCodeAt(index) | (isUpperCase(ascii.charCodeAt(index)) ? 0x20 : 0);
    if (code !== DOT) {
      if (!isLowerAlphanumeric(code) && code !== HYPHEN) return undefined;
      continue;
    }
    const length = index - labelStart;
    if (length < 1 || length > MAX_LABEL_LENGTH || ascii.charCodeAt(labelStart) === HYPHEN || ascii.charCodeAt(index - 1) === HYPHEN) return undefined;
    labels++;
    if (index < end) labelStart = index + 1;
  }
  const domain = ascii.slice(0, end).toLowerCase();
  return labels >= 2 && TOP_LEVEL_DOMAIN.test(domain.slice(labelStart)) ? domain : undefined;
}

/**
 * The canonical hash: 32, 40, 64 or 128 lower-case hex digits (MD5, SHA-1, SHA-256, SHA-512),
 * an `sha256:` style prefix dropped; undefined for anything else.
 */
export function canonicalHash(value: string): string | undefined {
  const colon = value.indexOf(":");
  const start = colon >= 0 && HASH_PREFIXES.includes(value.slice(0, colon).toLowerCase()) ? colon + 1 : 0;
  if (!HASH_LENGTHS.includes(value.length - start)) return undefined;
  let seen = 0;
  for (let index = start; index < value.length; index++) {
    const kind = HEX_DIGITS[value.charCodeAt(index)] ?? 0;
    if (kind === 0) return undefined;
    seen |= kind;
  }
  const hex = start === 0 ? value : value.slice(start);
  return (seen & UPPER_HEX) === 0 ? hex : hex.toLowerCase();
}

/**
 * The canonical URL: an absolute http, https or ftp URL without credentials, at most
 * {@link MAX_URL_LENGTH} characters, as the WHATWG URL serialiser writes it (scheme and host
 * lower-case, an internationalised host in punycode, the default port dropped, the path and
 * query kept) without its fragment; undefined for anything else.
 */
export function canonicalUrl(value: string): string | undefined {
  if (value.length > MAX_URL_LENGTH || /[\s\p{Cc}]/u.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!URL_PROTOCOLS.includes(url.protocol) || url.username !== "" || url.password !== "") return undefined;
  url.hash = "";
  return url.href;
}

const CANONICAL: Readonly<Record<ObservableType, (value: string) => string | undefined>> = {
  ip: canonicalIp,
  domain: canonicalDomain,
  hash: canonicalHash,
  user: (value) => (USER.test(value) ? value : undefined),
  process: (value) => (PROCESS.test(value) ? value : undefined),
  url: canonicalUrl,
};

/**
 * The canonical value of an observable when `raw` is a valid one of `type`, else undefined
 * (surrounding white space is ignored): ip, domain, hash and url as {@link canonicalIp},
 * {@link canonicalDomain}, {@link canonicalHash} and {@link canonicalUrl} say; a user or process
 * is one token of letters, digits and `._@:/\+=-`.
 */
export function canonicalObservable(type: ObservableType, raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  return CANONICAL[type](raw.trim());
}

/** True when `type` names an observable type. */
export function isObservableType(type: unknown): type is ObservableType {
  return typeof type === "string" && (OBSERVABLE_TYPES as readonly string[]).includes(type);
}

function isUpperCase(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isLowerAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

