import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import { checkEventFormatCharset, decodeBinaryMode, decodeStructuredValue, messageShape } from "./content-modes.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./decode-limits.ts";
import { displayText } from "./display-text.ts";
import { falcoEnvelope } from "./falco-event.ts";
import { CONTENT_TYPE_HEADER, readHeaders, type HeaderSource } from "./header-map.ts";
import { reject, RejectReason, type Result } from "../rejection.ts";
import { findValueNesting, isJsonObject, parseJsonBytes, tooDeep } from "./safe-json.ts";

/** The subject prefix on which Falcosidekick's NATS output publishes raw Falco alerts (`falco.<priority>.<rule>`). */
export const FALCO_SUBJECT_PREFIX = "falco.";

/** A NATS (or JetStream) message as intake needs it; a `JsMsg` or `Msg` fits as is. */
export interface NatsMessageInput {
  readonly subject: string;
  /** NATS 2.2+ headers (`MsgHdrs`), a `Map`, or a plain record; absent when the message has none. */
  readonly headers?: HeaderSource | undefined;
  readonly data: Uint8Array;
}

/**
 * Decodes one NATS message into a validated CloudEvent:
 * - structured mode when `Content-Type` is `application/cloudevents+json`;
 * - binary mode when `ce-` headers carry the attributes (percent-decoded; data content type from
 *   `ce-datacontenttype`, else `Content-Type`, else JSON);
 * - otherwise the payload is read as JSON: an object with `specversion` is a structured event,
 *   and on subjects under `falco.` a raw Falco alert is wrapped as a `falco.rule.output.v1` event.
 * Batches and other event formats are refused; nothing throws.
 */
export function decodeNatsMessage(message: NatsMessageInput, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Result<CloudEventEnvelope> {
  if (message.data.byteLength > limits.maxBytes) {
    return reject(RejectReason.TooLarge, "body", `body is ${message.data.byteLength} bytes, more than the limit of ${limits.maxBytes} bytes`);
  }
  const headers = readHeaders(message.headers, limits, "nats");
  if (!headers.ok) return headers;
  const shape = messageShape(headers.value);
  if (shape === "binary") return decodeBinaryMode(headers.value, message.data, limits);
  if (shape === "batch" || shape === "other-event-format") {
    return reject(
      RejectReason.UnsupportedContentType,
      CONTENT_TYPE_HEADER,
      `${CONTENT_TYPE_HEADER} ${displayText(headers.value.get(CONTENT_TYPE_HEADER) ?? "", 64)} is not accepted on NATS; send one event per message, structured (application/cloudevents+json) or binary`,
    );
  }
  const charset = checkEventFormatCharset(headers.value);
  if (charset !== undefined) return charset;
  const parsed = parseJsonBytes(message.data, limits, "", 1);
  if (!parsed.ok) return parsed;
  if (shape === "structured" || (isJsonObject(parsed.value) && Object.hasOwn(parsed.value, "specversion"))) {
    return decodeStructuredValue(parsed.value, limits, "");
  }
  if (message.subject.startsWith(FALCO_SUBJECT_PREFIX)) {
    // A raw Falco alert is the event data itself: no envelope level is allowed for it.
    const excessive = findValueNesting(parsed.value, limits.maxDepth, "");
    return excessive === undefined ? falcoEnvelope(parsed.value, message.data, limits) : tooDeep(excessive, limits.maxDepth);
  }
  return reject(
    RejectReason.UnknownFormat,
    "body",
    `body on subject ${displayText(message.subject, 64)} is not a CloudEvent (no ce- headers, no application/cloudevents+json content type, no specversion member) and the subject is not under ${FALCO_SUBJECT_PREFIX}`,
  );
}
