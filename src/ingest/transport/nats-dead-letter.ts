import { boundText } from "../../api/v1alpha1/bounds.ts";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import { maxPayloadOf, messageBytes } from "./nats-payload-fit.ts";
import { subjectToken } from "../../runtime/nats-subjects.ts";

/** Why a delivery is given up: a reason code, the field at fault and a human sentence. */
export interface DeadLetterReason {
  reason: string;
  field: string;
  message: string;
}

/** The delivery being dead-lettered, as it arrived. */
export interface DeadLetterSource {
  subject: string;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
  deliveryCount: number;
}

/** Header names the dead-letter message carries on top of the original headers. */
export const DeadLetterHeader = {
  Reason: "Kube-Soar-Reason",
  Field: "Kube-Soar-Field",
  Message: "Kube-Soar-Message",
  OriginalSubject: "Kube-Soar-Original-Subject",
  DeliveryCount: "Kube-Soar-Delivery-Count",
  /** `true` when the payload was cut to fit the server's `max_payload`. */
  Truncated: "Kube-Soar-Truncated",
  /** The original payload's size in bytes, set with {@link DeadLetterHeader.Truncated}. */
  OriginalSize: "Kube-Soar-Original-Size",
  /** `true` when the original headers were left out because they alone did not fit. */
  HeadersDropped: "Kube-Soar-Headers-Dropped",
} as const;

const maxHeaderValueLength = 1_024;

/** A header value made safe for NATS: no control characters (CR/LF would split headers), bounded. */
export function headerValue(text: string): string {
  let cleaned = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    cleaned += code < 0x20 || code === 0x7f ? " " : char;
  }
  cleaned = cleaned.trim();
  return boundText(cleaned, maxHeaderValueLength);
}

/**
 * Copies the original headers except the `Nats-*` control headers (expectations, rollups, TTLs
 * would change how the dead-letter message is stored), keeping `Nats-Msg-Id` so a dead-letter
 * stream with a duplicate window stores one entry per original message.
 */
function copiedHeaders(original: MsgHdrs | undefined): MsgHdrs {
  const copy = natsHeaders();
  if (original === undefined) return copy;
  for (const [name, values] of original) {
    const lower = name.toLowerCase();
    if (lower.startsWith("nats-") && lower !== "nats-msg-id") continue;
    if (lower.startsWith("kube-soar-")) continue;
    for (const value of values) copy.append(name, value);
  }
  return copy;
}

/** A dead-letter message ready to publish. */
export interface DeadLetterMessage {
  data: Uint8Array;
  headers: MsgHdrs;
}

function reasonHeaders(source: DeadLetterSource, why: DeadLetterReason, original: MsgHdrs | undefined): MsgHdrs {
  const headers = copiedHeaders(original);
  headers.set(DeadLetterHeader.Reason, headerValue(why.reason));
  headers.set(DeadLetterHeader.Field, headerValue(why.field));
  headers.set(DeadLetterHeader.Message, headerValue(why.message));
  headers.set(DeadLetterHeader.OriginalSubject, headerValue(source.subject));
  headers.set(DeadLetterHeader.DeliveryCount, String(source.deliveryCount));
  return headers;
}

/**
 * The dead letter of `source`: its payload and headers plus the reason headers, at most
 * `maxPayload` bytes (headers and payload together) whenever the reason headers alone fit, which
 * their bounded values guarantee for any real server. When the whole does not fit, the payload
 * is cut to the room left and marked with {@link DeadLetterHeader.Truncated} and
 * {@link DeadLetterHeader.OriginalSize}; when the original headers leave no room at all they are
 * left out too, marked with {@link DeadLetterHeader.HeadersDropped}. The reason headers are
 * always kept.
 */
export function deadLetterMessage(source: DeadLetterSource, why: DeadLetterReason, maxPayload: number): DeadLetterMessage {
  const headers = reasonHeaders(source, why, source.headers);
  if (messageBytes(source.data, headers) <= maxPayload) return { data: source.data, headers };
  const marked = (base: MsgHdrs): MsgHdrs => {
    base.set(DeadLetterHeader.Truncated, "true");
    base.set(DeadLetterHeader.OriginalSize, String(source.data.length));
    return base;
  };
  let fitted = marked(headers);
  let room = maxPayload - messageBytes(new Uint8Array(0), fitted);
  if (room < 0) {
    fitted = marked(reasonHeaders(source, why, undefined));
    fitted.set(DeadLetterHeader.HeadersDropped, "true");
    room = maxPayload - messageBytes(new Uint8Array(0), fitted);
  }
  return { data: source.data.subarray(0, Math.max(0, room)), headers: fitted };
}

/** The subject a dead-letter message of `reason` is published on. */
export function deadLetterSubject(prefix: string, reason: string): string {
  return `${prefix}.${subjectToken(reason)}`;
}

/**
 * Publishes dead-letter messages: the original payload and headers (cut to fit when too large)
 * go to `<prefix>.<reason>` with the reason, field, message, original subject and delivery count in `Kube-Soar-*` headers.
 * When a JetStream stream captures the subject the publish is acknowledged by JetStream (so
 * the entry is durable); otherwise it is a plain publish flushed to the server, for whoever
 * subscribes. Whether a stream captures a subject is looked up once per subject for the life
 * of this publisher (one consumer attachment: a new one is made at every consumer setup).
 */
export class DeadLetterPublisher {
  readonly #connection: NatsConnection;
  readonly #jetstream: JetStreamClient;
  readonly #manager: JetStreamManager;
  readonly #prefix: string;
  readonly #captured = new Map<string, boolean>();

  constructor(options: { connection: NatsConnection; jetstream: JetStreamClient; manager: JetStreamManager; prefix: string }) {
    this.#connection = options.connection;
    this.#jetstream = options.jetstream;
    this.#manager = options.manager;
    this.#prefix = options.prefix;
  }

  /**
   * Publishes one dead-letter message, fitted to the server's `max_payload` (see
   * {@link deadLetterMessage}) so its size never makes it fail; rejects when NATS cannot take it
   * (the caller retries the delivery).
   */
  async publish(source: DeadLetterSource, why: DeadLetterReason): Promise<void> {
    const { data, headers } = deadLetterMessage(source, why, maxPayloadOf(this.#connection));
    const subject = deadLetterSubject(this.#prefix, why.reason);
    if (await this.#isCaptured(subject)) {
      await this.#jetstream.publish(subject, data, { headers });
      return;
    }
    // A JetStream publish is a request: with no stream but a plain subscriber it would time out.
    this.#connection.publish(subject, data, { headers });
    await this.#connection.flush();
  }

  async #isCaptured(subject: string): Promise<boolean> {
    const known = this.#captured.get(subject);
    if (known !== undefined) return known;
    let captured: boolean;
    try {
      await this.#manager.streams.find(subject);
      captured = true;
    } catch (error: unknown) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      captured = false;
    }
    this.#captured.set(subject, captured);
    return captured;
  }
}
