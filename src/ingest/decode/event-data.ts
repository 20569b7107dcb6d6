import type { DecodeLimits } from "./decode-limits.ts";
import { quoted } from "./display-text.ts";
import { dataFormatOf, parseMediaType, type DataFormat } from "./media-type.ts";
import { accept, reject, RejectReason, type Result } from "../rejection.ts";
import { findForbiddenKey, parseJsonBytes } from "./safe-json.ts";
import { decodeBase64Strict, decodeUtf8 } from "./text-encoding.ts";

/**
 * How event data of the given `datacontenttype` is read. An absent content type means JSON
 * (the CloudEvents JSON format's default, applied to binary mode too).
 */
export function dataFormatFor(datacontenttype: string | undefined): DataFormat {
  if (datacontenttype === undefined) return "json";
  const mediaType = parseMediaType(datacontenttype);
  return mediaType === undefined ? "unsupported" : dataFormatOf(mediaType);
}

/**
 * Decodes event data bytes (a binary-mode body, or decoded `data_base64`) by content type:
 * JSON is parsed with the size, UTF-8, depth and forbidden-key checks, text must be UTF-8, and
 * empty bytes mean no data. Other content types are refused.
 */
export function decodeDataBytes(bytes: Uint8Array, datacontenttype: string | undefined, limits: DecodeLimits, field: string): Result<unknown> {
  if (bytes.byteLength > limits.maxBytes) {
    return reject(RejectReason.TooLarge, field, `${field} is ${bytes.byteLength} bytes, more than the limit of ${limits.maxBytes} bytes`);
  }
  if (bytes.byteLength === 0) return accept(undefined);
  const format = dataFormatFor(datacontenttype);
  if (format === "json") return parseJsonBytes(bytes, limits, field);
  if (format === "text") {
    const text = decodeUtf8(bytes);
    return text === undefined ? reject(RejectReason.InvalidEncoding, field, `${field} is not valid UTF-8 text`) : accept(text);
  }
  return unsupported(datacontenttype, field);
}

/**
 * Checks the `data` member of a structured-mode event against its content type: any JSON
 * value for JSON content, a string for text content; other content types are refused.
 * The value was parsed from the body, so depth and forbidden keys are already checked.
 */
export function checkStructuredData(data: unknown, datacontenttype: string | undefined, field: string): Result<unknown> {
  const format = dataFormatFor(datacontenttype);
  if (format === "json") return findForbiddenKey(data, field) ?? accept(data);
  if (format === "text") {
    return typeof data === "string" ? accept(data) : reject(RejectReason.InvalidAttribute, field, `${field} must be a string for a text content type`);
  }
  return unsupported(datacontenttype, field);
}

/** Decodes a structured-mode `data_base64` member and reads the bytes by content type. */
export function decodeStructuredBase64(encoded: unknown, datacontenttype: string | undefined, limits: DecodeLimits, field: string): Result<unknown> {
  if (typeof encoded !== "string") return reject(RejectReason.InvalidAttribute, field, `${field} must be a base64 string`);
  const bytes = decodeBase64Strict(encoded);
  if (bytes === undefined) return reject(RejectReason.InvalidEncoding, field, `${field} is not valid padded base64`);
  return decodeDataBytes(bytes, datacontenttype, limits, field);
}

function unsupported(datacontenttype: string | undefined, field: string): Result<never> {
  return reject(
    RejectReason.UnsupportedContentType,
    field,
    `${field} has content type ${quoted(datacontenttype ?? "", 64)}; only JSON (application/json, +json) and UTF-8 text/* data are accepted`,
  );
}
