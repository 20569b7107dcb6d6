import { displayText } from "./display-text.ts";
import type { DecodeLimits } from "./decode-limits.ts";
import { accept, reject, RejectReason, type Result } from "../rejection.ts";
import { headerBytesAsText, unquoteHeaderValue } from "./text-encoding.ts";

/** A header value as transports hand it over: one string, several, or none. */
export type HeaderValue = string | readonly string[] | undefined;

/**
 * Headers in any of the shapes transports use: a plain record (Node's `IncomingHttpHeaders`),
 * or an iterable of `[name, value(s)]` pairs (a `Map`, fetch `Headers`, NATS `MsgHdrs`).
 */
export type HeaderSource = Readonly<Record<string, HeaderValue>> | Iterable<readonly [string, string | readonly string[]]>;

/** The headers intake reads (`ce-*` and `content-type`), names lower-cased, one value each. */
export type HeaderMap = ReadonlyMap<string, string>;

/** The header that carries the media type of a message body. */
export const CONTENT_TYPE_HEADER = "content-type";

/** The prefix of CloudEvents attribute headers in binary content mode (HTTP and NATS). */
export const CE_HEADER_PREFIX = "ce-";

/**
 * The protocol binding headers come from. `nats`: values are text already. `http`: values are
 * the bytes on the wire, one Latin-1 character each (as Node's HTTP parser gives them); they are
 * read as UTF-8, and a `ce-*` value that is a quoted-string is unquoted, as the CloudEvents HTTP
 * binding requires.
 */
export type HeaderBinding = "http" | "nats";

/**
 * Collects the `ce-*` and `Content-Type` headers, lower-casing names. Other headers are
 * ignored. Rejects a relevant header given more than once (an attribute must have one value),
 * a non-string value, an HTTP value whose bytes are not UTF-8, and a total size above
 * `maxHeaderBytes`. Values are not yet percent-decoded.
 */
export function readHeaders(source: HeaderSource | undefined, limits: Pick<DecodeLimits, "maxHeaderBytes">, binding: HeaderBinding): Result<HeaderMap> {
  const headers = new Map<string, string>();
  let totalBytes = 0;
  for (const [rawName, rawValue] of headerEntries(source)) {
    if (typeof rawName !== "string") continue;
    const name = rawName.toLowerCase();
    if (name !== CONTENT_TYPE_HEADER && !name.startsWith(CE_HEADER_PREFIX)) continue;
    const values: readonly unknown[] = Array.isArray(rawValue) ? rawValue : rawValue === undefined ? [] : [rawValue];
    if (values.length === 0) continue;
    const field = displayText(name);
    const value = values[0];
    if (values.length > 1 || headers.has(name)) {
      return reject(RejectReason.InvalidAttribute, field, `header ${field} is given more than once; a CloudEvents header must have exactly one value`);
    }
    if (typeof value !== "string") return reject(RejectReason.InvalidAttribute, field, `header ${field} must have a string value`);
    const text = binding === "http" ? headerBytesAsText(value) : value;
    if (text === undefined) return reject(RejectReason.InvalidEncoding, field, `header ${field} is neither ASCII nor valid UTF-8`);
    totalBytes += name.length + Buffer.byteLength(text, "utf8");
    if (totalBytes > limits.maxHeaderBytes) {
      return reject(RejectReason.TooLarge, "headers", `headers exceed the limit of ${limits.maxHeaderBytes} bytes of ce-* and Content-Type headers`);
    }
    headers.set(name, binding === "http" && name.startsWith(CE_HEADER_PREFIX) ? unquoteHeaderValue(text) : text);
  }
  return accept(headers);
}

function headerEntries(source: HeaderSource | undefined): Iterable<readonly [unknown, unknown]> {
  if (source === undefined) return [];
  if (isIterable(source)) return source;
  return Object.entries(source);
}

function isIterable(value: object): value is Iterable<readonly [string, string | readonly string[]]> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}
