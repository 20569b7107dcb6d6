import { MsgHdrsImpl, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";

/** The `max_payload` nats-server uses when its configuration does not set one. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** The largest message (headers and payload together) the connected server takes. */
export function maxPayloadOf(connection: Pick<NatsConnection, "info">): number {
  return connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
}

/**
 * The bytes a message counts against `max_payload`: its headers as the client encodes them on
 * the wire plus its payload. Headers must come from the NATS client (`headers()` or a received
 * message), whose encoding is the one measured.
 */
export function messageBytes(data: Uint8Array, headers: MsgHdrs | undefined): number {
  if (headers === undefined) return data.length;
  if (!(headers instanceof MsgHdrsImpl)) throw new TypeError("message headers must be made by the NATS client");
  return data.length + headers.encode().length;
}
