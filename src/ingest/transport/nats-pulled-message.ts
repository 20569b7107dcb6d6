import type { JsMsg } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";

/** The delivery metadata of a pulled message (from its JetStream reply subject). */
export interface PulledMessageInfo {
  readonly deliveryCount: number;
  readonly streamSequence: number;
  readonly timestampNanos: number;
}

/**
 * A JetStream message as intake holds it until it is settled: what settlement needs of a
 * `JsMsg`, and no more. A `JsMsg` fits as is.
 */
export interface SettleableMessage {
  readonly subject: string;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
  readonly info: PulledMessageInfo;
  ack(): void;
  /** Asks for a redelivery after `millis` (at once when absent or 0). */
  nak(millis?: number): void;
  /** Tells JetStream the message is still being worked on, restarting its `ack_wait`. */
  working(): void;
  /** Gives up on the message for good: it is never redelivered. */
  term(reason?: string): void;
}

const encoder = new TextEncoder();

/**
 * The subject a JetStream message is acknowledged on. The client's messages carry it as `reply`
 * (the `JsMsg` type leaves it out, its implementation class declares it).
 */
function replySubject(message: JsMsg): string {
  const reply: unknown = (message as JsMsg & { readonly reply?: unknown }).reply;
  if (typeof reply !== "string" || reply === "") throw new TypeError(`JetStream message on ${message.subject} has no reply subject to acknowledge it on`);
  return reply;
}

/**
 * A pulled message detached from the NATS client's read buffers: its payload is copied into a
 * buffer of its own size and the `JsMsg` is dropped. The client assembles a message that spans
 * socket reads in a buffer it grows by doubling, and the `JsMsg` keeps that whole buffer alive
 * (up to about twice the payload) for as long as it is held; intake holds a delivery until it is
 * settled, Incident writes included, so its in-flight byte budget would otherwise bound only
 * half of what the deliveries really hold. Settling publishes the JetStream acknowledgement
 * protocol (`+ACK`, `-NAK {"delay":ns}`, `+WPI`, `+TERM reason`) to the message's reply subject
 * through `publish`, as the client does; every settlement but `working` is final, later ones
 * are ignored.
 */
export function detachMessage(message: JsMsg, publish: (subject: string, payload: Uint8Array) => void): SettleableMessage {
  const { subject, headers } = message;
  const reply = replySubject(message);
  const { deliveryCount, streamSequence, timestampNanos } = message.info;
  const data = message.data.slice();
  let settled = false;
  const respond = (payload: string, final: boolean): void => {
    if (settled) return;
    settled = final;
    publish(reply, encoder.encode(payload));
  };
  return {
    subject,
    headers,
    data,
    info: { deliveryCount, streamSequence, timestampNanos },
    ack: () => {
      respond("+ACK", true);
    },
    nak: (millis) => {
      respond(millis === undefined || millis <= 0 ? "-NAK" : `-NAK ${JSON.stringify({ delay: Math.round(millis * 1_000_000) })}`, true);
    },
    working: () => {
      respond("+WPI", false);
    },
    term: (reason = "") => {
      respond(reason === "" ? "+TERM" : `+TERM ${reason}`, true);
    },
  };
}
