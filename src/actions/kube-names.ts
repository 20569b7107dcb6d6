import { createHash } from "node:crypto";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** True for a DNS-1123 label (namespace names): lower-case alphanumerics and '-', at most 63. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && dnsLabel.test(value);
}

/** True for a DNS-1123 subdomain (most object names): dot-separated labels, at most 253. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && value.split(".").every((part) => part !== "" && dnsLabel.test(part));
}

/** True for a label or annotation key: an optional DNS subdomain prefix and a name of at most 63. */
export function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && labelName.test(name);
}

/** True for a label value: empty, or at most 63 alphanumerics, '-', '_' and '.' inside. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && labelName.test(value));
}

/**
 * `${prefix}${name}` when it fits in `maxLength`; otherwise a truncated form ending in `-` and
 * 8 hex digits of a hash of the full name, so distinct inputs keep distinct results. The
 * result is a DNS label when the input is made of DNS label characters and dots.
 */
export function lengthSafeName(prefix: string, name: string, maxLength = 63): string {
  const full = `${prefix}${name}`;
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  const head = full.slice(0, maxLength - hash.length - 1).replace(/[^a-z0-9]+$/, "");
  return `${head}-${hash}`;
}
