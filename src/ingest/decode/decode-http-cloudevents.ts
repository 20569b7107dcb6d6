import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import { checkEventFormatCharset, decodeBatchValue, decodeBinaryMode, decodeStructuredValue, messageShape } from "./content-modes.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./decode-limits.ts";
import { displayText } from "./display-text.ts";
import { CONTENT_TYPE_HEADER, readHeaders, type HeaderMap, type HeaderSource } from "./header-map.ts";
import { accept, reject, RejectReason, type Result } from "../rejection.ts";
import { isJsonObject, parseJsonBytes } from "./safe-json.ts";

/**
 * Decodes an HTTP request carrying CloudEvents: binary mode (`ce-` headers read as UTF-8,
 * unquoted when quoted-strings, then percent-decoded;
 * data content type from `Content-Type`), structured mode (`application/cloudevents+json`, or
 * a JSON body with `specversion` and no CloudEvents content type), or a batch
 * (`application/cloudevents-batch+json`, possibly empty). Returns every event or one rejection.
 */
export function decodeHttpCloudEvents(headers: HeaderSource, body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Result<readonly CloudEventEnvelope[]> {
  const read = readHeaders(headers, limits, "http");
  if (!read.ok) return read;
  return decodeHttpCloudEventsFromMap(read.value, body, limits);
}

/** `decodeHttpCloudEvents` for headers already read with `readHeaders`. */
export function decodeHttpCloudEventsFromMap(headers: HeaderMap, body: Uint8Array, limits: DecodeLimits): Result<readonly CloudEventEnvelope[]> {
  if (body.byteLength > limits.maxBytes) {
    return reject(RejectReason.TooLarge, "body", `body is ${body.byteLength} bytes, more than the limit of ${limits.maxBytes} bytes`);
  }
  const shape = messageShape(headers);
  if (shape === "binary") return single(decodeBinaryMode(headers, body, limits));
  if (shape === "other-event-format") {
    return reject(
      RejectReason.UnsupportedContentType,
      CONTENT_TYPE_HEADER,
      `${CONTENT_TYPE_HEADER} ${displayText(headers.get(CONTENT_TYPE_HEADER) ?? "", 64)} is a CloudEvents format other than JSON, which is not accepted`,
    );
  }
  const charset = checkEventFormatCharset(headers);
  if (charset !== undefined) return charset;
  const parsed = parseJsonBytes(body, limits, "", shape === "batch" ? 2 : 1);
  if (!parsed.ok) return parsed;
  if (shape === "batch") return decodeBatchValue(parsed.value, limits);
  if (shape === "structured" || (isJsonObject(parsed.value) && Object.hasOwn(parsed.value, "specversion"))) {
    return single(decodeStructuredValue(parsed.value, limits, ""));
  }
  return reject(
    RejectReason.UnknownFormat,
    "body",
    "body is not a CloudEvent: no ce- headers, no application/cloudevents+json or application/cloudevents-batch+json content type, and no specversion member",
  );
}

function single(result: Result<CloudEventEnvelope>): Result<readonly CloudEventEnvelope[]> {
  return result.ok ? accept([result.value]) : result;
}
