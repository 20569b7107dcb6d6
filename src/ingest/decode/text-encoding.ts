const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Decodes UTF-8 bytes, or returns undefined when they are not valid UTF-8 (no replacement characters are ever invented). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The number of bytes `text` takes in UTF-8. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

const NON_ASCII = /[\u0080-\uffff]/;
const ABOVE_LATIN1 = /[\u0100-\uffff]/;

/**
 * Reads a header value as Node's HTTP parser hands it over, one Latin-1 character per byte
 * on the wire: bytes that form valid UTF-8 are decoded as UTF-8 (producers such as the Go
 * CloudEvents SDK send raw UTF-8), ASCII is returned as is, and other bytes give undefined.
 * A value holding a character above U+00FF did not come off the wire as bytes and is already text.
 */
export function headerBytesAsText(value: string): string | undefined {
  if (!NON_ASCII.test(value) || ABOVE_LATIN1.test(value)) return value;
  return decodeUtf8(Buffer.from(value, "latin1"));
}

const QUOTED_STRING = /^"((?:[^"\\]|\\[^])*)"$/;
const QUOTED_PAIR = /\\([^])/g;

/**
 * Unquotes a header value that is one RFC 7230 quoted-string (`"..."`, `\`-escapes taken
 * literally), as the CloudEvents HTTP binding requires of receivers before percent-decoding.
 * Any other value, including one only partly quoted, is returned unchanged.
 */
export function unquoteHeaderValue(value: string): string {
  const match = QUOTED_STRING.exec(value);
  return match === null ? value : (match[1] ?? "").replace(QUOTED_PAIR, "$1");
}

const PERCENT_TRIPLET = /%[0-9A-Fa-f]{2}/g;

/**
 * Percent-decodes a CloudEvents header value (HTTP and NATS bindings): every `%XX` triplet
 * becomes its byte, other characters contribute their UTF-8 bytes, and the result must be
 * valid UTF-8, or undefined is returned. A `%` not followed by two hex digits is kept literally,
 * because common SDKs send such values unencoded.
 */
export function percentDecode(value: string): string | undefined {
  if (!value.includes("%")) return value;
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const match of value.matchAll(PERCENT_TRIPLET)) {
    parts.push(utf8Encoder.encode(value.slice(last, match.index)));
    parts.push(Uint8Array.of(Number.parseInt(match[0].slice(1), 16)));
    last = match.index + 3;
  }
  parts.push(utf8Encoder.encode(value.slice(last)));
  return decodeUtf8(Buffer.concat(parts));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes canonical padded base64 (RFC 4648 section 4), or returns undefined for anything else. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  return Buffer.from(text, "base64");
}
