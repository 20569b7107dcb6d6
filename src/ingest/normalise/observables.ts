import { isIP } from "node:net";
import { OBSERVABLE_TYPES, type Observable, type ObservableType } from "../../api/v1alpha1/index.ts";
import { MAX_ALERT_OBSERVABLES } from "../alert.ts";

const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const HEX_HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;
const HASH_PREFIX = /^(?:md5|sha1|sha256|sha512):/;
const USER = /^[\p{L}\p{N}._@:\\/+=-]{1,256}$/u;
const PROCESS = /^[\p{L}\p{N}._+/:@-]{1,256}$/u;
const URL_PROTOCOLS: readonly string[] = ["http:", "https:", "ftp:"];
const MAX_URL_LENGTH = 2048;

const VALIDATORS: Readonly<Record<ObservableType, (value: string) => string | undefined>> = {
  ip: (value) => (isIP(value) === 0 || value.includes("%") ? undefined : value.toLowerCase()),
  domain: canonicalDomain,
  hash: (value) => {
    const hex = value.toLowerCase().replace(HASH_PREFIX, "");
    return HEX_HASH.test(hex) ? hex : undefined;
  },
  user: (value) => (USER.test(value) ? value : undefined),
  process: (value) => (PROCESS.test(value) ? value : undefined),
  url: canonicalUrl,
};

/**
 * The canonical value of an observable when `raw` is a valid one of `type`, else undefined:
 * an ip parses as IPv4 or IPv6; a domain is a lower-cased host name of at least two labels
 * with an alphabetic top-level label; a hash is 32, 40, 64 or 128 hex digits (an `sha256:`
 * style prefix is dropped); a user or process is one token of letters, digits and `._@:/\+=-`;
 * a url is an absolute http, https or ftp URL without credentials.
 */
export function canonicalObservable(type: ObservableType, raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  return VALIDATORS[type](raw.trim());
}

/** True when `type` names an observable type. */
export function isObservableType(type: unknown): type is ObservableType {
  return typeof type === "string" && (OBSERVABLE_TYPES as readonly string[]).includes(type);
}

/**
 * Builds an alert's observables from candidates in priority order: invalid values are
 * dropped, duplicates (same type and canonical value) kept once, and at most
 * `MAX_ALERT_OBSERVABLES` retained.
 */
export function collectObservables(candidates: Iterable<readonly [ObservableType, unknown]>): readonly Observable[] {
  const seen = new Set<string>();
  const observables: Observable[] = [];
  for (const [type, raw] of candidates) {
    if (observables.length >= MAX_ALERT_OBSERVABLES) break;
    const value = canonicalObservable(type, raw);
    if (value === undefined) continue;
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    observables.push({ type, value });
  }
  return observables;
}

function canonicalDomain(value: string): string | undefined {
  const domain = value.toLowerCase().replace(/\.$/, "");
  if (domain.length > 253 || isIP(domain) !== 0) return undefined;
  const labels = domain.split(".");
  const top = labels.at(-1);
  if (labels.length < 2 || top === undefined || !TOP_LEVEL_DOMAIN.test(top)) return undefined;
  return labels.every((label) => DOMAIN_LABEL.test(label)) ? domain : undefined;
}

function canonicalUrl(value: string): string | undefined {
  if (value.length > MAX_URL_LENGTH || /[\s\p{Cc}]/u.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!URL_PROTOCOLS.includes(url.protocol) || url.username !== "" || url.password !== "") return undefined;
  return url.href;
}
