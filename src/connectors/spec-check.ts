import { parseDuration } from "../api/duration.ts";
import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import { connectorTypes } from "./registry.ts";

/** Headers kube-soar sets itself; `spec.headers` may not override them. */
export const MANAGED_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "idempotency-key",
  "content-length",
  "content-type",
  "host",
  "transfer-encoding",
  "connection",
]);

const headerName = /^[A-Za-z0-9-]{1,256}$/;

/** Default timeout of one request when the spec gives none. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Default wait before the first retry when the spec gives none. */
export const DEFAULT_BACKOFF_MS = 1_000;

/**
 * Checks an endpoint URL: parseable, https (or http with `allowInsecureHTTP`), without
 * credentials in it. `field` names where the URL came from; `secret` keeps the URL itself out
 * of the message (a Slack webhook URL is a credential).
 */
export function urlProblem(text: string, allowInsecureHTTP: boolean, field: string, secret: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return `${field}: not a valid URL`;
  }
  const shown = secret ? "" : ` (${url.protocol}//${url.host})`;
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowInsecureHTTP)) {
    return `${field}: must use https${allowInsecureHTTP ? " or http" : " unless allowInsecureHTTP is true"}${shown}`;
  }
  if (url.username !== "" || url.password !== "") return `${field}: credentials in the URL are not allowed; use auth`;
  return undefined;
}

/**
 * The problems of a spec that no Secret can fix, as `field: reason`; undefined when usable.
 * The API server's validation covers most of these; this check runs again at call time
 * because a spec may predate a validation rule.
 */
export function specProblem(spec: ConnectorSpec): string | undefined {
  const typeProblem = connectorTypes[spec.type].checkSpec(spec);
  if (typeProblem !== undefined) return typeProblem;
  if (spec.url !== undefined) {
    const problem = urlProblem(spec.url, spec.allowInsecureHTTP === true, "spec.url", false);
    if (problem !== undefined) return problem;
  }
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (!headerName.test(name)) return `spec.headers.${name.slice(0, 64)}: not a valid header name`;
    if (MANAGED_HEADERS.has(name.toLowerCase())) return `spec.headers.${name}: set by kube-soar; use auth for credentials`;
    // eslint-disable-next-line no-control-regex -- control characters would split or corrupt the header
    if (/[\u0000-\u001f\u007f]/.test(value)) return `spec.headers.${name}: control characters are not allowed`;
  }
  if (spec.timeout !== undefined && parseDuration(spec.timeout) === undefined) return "spec.timeout: not a duration such as 10s";
  if (spec.retries?.backoff !== undefined && parseDuration(spec.retries.backoff) === undefined) return "spec.retries.backoff: not a duration such as 1s";
  const auth = spec.auth;
  if (auth !== undefined && (auth.type === "header" || auth.type === "hmac")) {
    if (auth.header === undefined) return `spec.auth.header: required for auth type ${auth.type}`;
    const lower = auth.header.toLowerCase();
    if (!headerName.test(auth.header) || (MANAGED_HEADERS.has(lower) && lower !== "authorization")) {
      return `spec.auth.header: ${auth.header.slice(0, 64)} cannot carry the credential`;
    }
  }
  return undefined;
}
