import { attributeField } from "./attribute-text.ts";
import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import type { DecodeLimits } from "./decode-limits.ts";
import { buildEnvelope, withData } from "./envelope-builder.ts";
import { checkStructuredData, decodeDataBytes, decodeStructuredBase64 } from "./event-data.ts";
import { CE_HEADER_PREFIX, CONTENT_TYPE_HEADER, type HeaderMap } from "./header-map.ts";
import { joinPath, rootField } from "./json-path.ts";
import { contentModeOf, parseMediaType, type ContentMode } from "./media-type.ts";
import { displayText } from "./display-text.ts";
import { accept, reject, RejectReason, type Rejection, type Result } from "../rejection.ts";
import { isJsonObject } from "./safe-json.ts";
import { percentDecode } from "./text-encoding.ts";

const BINARY_MODE_HEADERS: readonly string[] = ["ce-specversion", "ce-id", "ce-source", "ce-type"];

/** The shape of a message, read from its headers alone. */
export type MessageShape = ContentMode | "binary";

/**
 * Structured, batch or another event format when `Content-Type` says so (it takes precedence);
 * otherwise binary when any required attribute travels as a `ce-` header; otherwise none.
 */
export function messageShape(headers: HeaderMap): MessageShape {
  const contentType = headers.get(CONTENT_TYPE_HEADER);
  const mode = contentModeOf(contentType === undefined ? undefined : parseMediaType(contentType));
  if (mode !== "none") return mode;
  return BINARY_MODE_HEADERS.some((name) => headers.has(name)) ? "binary" : "none";
}

/**
 * Refuses a structured or batch body whose `Content-Type` names a charset other than UTF-8
 * (or its ASCII subset): the CloudEvents JSON format is UTF-8 only.
 */
export function checkEventFormatCharset(headers: HeaderMap): Rejection | undefined {
  const contentType = headers.get(CONTENT_TYPE_HEADER);
  const charset = contentType === undefined ? undefined : parseMediaType(contentType)?.charset;
  if (charset === undefined || ["utf-8", "utf8", "us-ascii"].includes(charset)) return undefined;
  return reject(
    RejectReason.UnsupportedContentType,
    CONTENT_TYPE_HEADER,
    `${CONTENT_TYPE_HEADER} names charset ${displayText(charset, 32)}; CloudEvents JSON must be UTF-8`,
  );
}

/**
 * Decodes a binary-content-mode event: attributes from percent-decoded `ce-*` headers,
 * `datacontenttype` from `ce-datacontenttype` or else `Content-Type`, data from the body.
 */
export function decodeBinaryMode(headers: HeaderMap, body: Uint8Array, limits: DecodeLimits): Result<CloudEventEnvelope> {
  const attributes = new Map<string, unknown>();
  for (const [name, value] of headers) {
    if (!name.startsWith(CE_HEADER_PREFIX)) continue;
    const attribute = name.slice(CE_HEADER_PREFIX.length);
    const decoded = percentDecode(value);
    if (decoded === undefined) {
      const field = attributeField("", attribute);
      return reject(RejectReason.InvalidEncoding, field, `header ${CE_HEADER_PREFIX}${field} is not valid UTF-8 after percent-decoding`);
    }
    attributes.set(attribute, decoded);
  }
  const contentType = headers.get(CONTENT_TYPE_HEADER);
  if (!attributes.has("datacontenttype") && contentType !== undefined) attributes.set("datacontenttype", contentType);
  const built = buildEnvelope({ attributes, prefix: "" }, limits);
  if (!built.ok) return built;
  const data = decodeDataBytes(body, built.value.datacontenttype, limits, "data");
  return data.ok ? accept(withData(built.value, data.value)) : data;
}

/**
 * Decodes one structured-mode event from its parsed JSON object: members other than `data`
 * and `data_base64` are attributes; `data` or `data_base64` (never both) is the data.
 */
export function decodeStructuredValue(value: unknown, limits: DecodeLimits, prefix: string): Result<CloudEventEnvelope> {
  const where = rootField(prefix);
  if (!isJsonObject(value)) return reject(RejectReason.UnknownFormat, where, `${where} must be a JSON object holding one CloudEvent`);
  const attributes = new Map<string, unknown>();
  for (const [key, member] of Object.entries(value)) {
    if (key !== "data" && key !== "data_base64") attributes.set(key, member);
  }
  const built = buildEnvelope({ attributes, prefix }, limits);
  if (!built.ok) return built;
  const dataField = joinPath(prefix, "data");
  const base64Field = joinPath(prefix, "data_base64");
  const hasData = Object.hasOwn(value, "data");
  const hasBase64 = Object.hasOwn(value, "data_base64") && value["data_base64"] !== null;
  if (hasData && hasBase64) return reject(RejectReason.InvalidAttribute, base64Field, `${base64Field} and ${dataField} are mutually exclusive`);
  const { datacontenttype } = built.value;
  const data = hasBase64
    ? decodeStructuredBase64(value["data_base64"], datacontenttype, limits, base64Field)
    : hasData
      ? checkStructuredData(value["data"], datacontenttype, dataField)
      : accept(undefined);
  return data.ok ? accept(withData(built.value, data.value)) : data;
}

/** Decodes a parsed `application/cloudevents-batch+json` body: a JSON array of structured events. */
export function decodeBatchValue(value: unknown, limits: DecodeLimits): Result<readonly CloudEventEnvelope[]> {
  if (!Array.isArray(value)) return reject(RejectReason.UnknownFormat, "body", "body must be a JSON array of CloudEvents for a batch");
  if (value.length > limits.maxBatchEvents) {
    return reject(RejectReason.TooLarge, "body", `body holds ${value.length} events, more than the limit of ${limits.maxBatchEvents}`);
  }
  const events: CloudEventEnvelope[] = [];
  for (const [index, item] of value.entries()) {
    const event = decodeStructuredValue(item, limits, joinPath("", index));
    if (!event.ok) return event;
    events.push(event.value);
  }
  return accept(events);
}
