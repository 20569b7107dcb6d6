import { jetstream, PubHeaders, type JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { eventHash, eventIdentity } from "../identity/event-hash.ts";
import type { NatsLink } from "../../runtime/nats-connection.ts";
import { maxPayloadOf, messageBytes } from "./nats-payload-fit.ts";

/** Subject prefix under which the HTTP receiver stores the events it accepts. */
export const HTTP_SUBJECT_PREFIX = "soar.events.http";

/** The media type of a CloudEvent in structured content mode. */
export const STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

/** NATS cannot take a publish now (disconnected, no stream, timeout); the caller answers 503. */
export class NatsUnavailableError extends Error {
  override readonly name = "NatsUnavailableError";
}

/**
 * An event is larger than the event store takes once encoded (the server's `max_payload`): it
 * can never be stored, so the caller answers 413 rather than a retryable 5xx.
 */
export class EventTooLargeError extends Error {
  override readonly name = "EventTooLargeError";
}

/** What a batch of publishes stored. */
export interface PublishOutcome {
  /** Events stored by this call. */
  stored: number;
  /** Events the stream already held within its duplicate window (same source and id). */
  duplicates: number;
}

/** Publishes accepted events to JetStream, resolving only once every publish is acknowledged. */
export interface EventPublisher {
  /** False while NATS is disconnected: callers refuse work instead of waiting. */
  available(): boolean;
  /** Stores every event or none; rejects with {@link EventTooLargeError} or {@link NatsUnavailableError}. */
  publish(kind: string, events: readonly CloudEventEnvelope[]): Promise<PublishOutcome>;
}

/** The CloudEvent as structured-mode JSON: context attributes, extensions, then `data`. */
export function structuredEventJson(event: CloudEventEnvelope): string {
  const document: Record<string, unknown> = {};
  // Extensions first so that a context attribute of the same name can never be overridden.
  for (const [name, value] of Object.entries(event.extensions)) document[name] = value;
  document.specversion = event.specversion;
  document.id = event.id;
  document.source = event.source;
  document.type = event.type;
  if (event.subject !== undefined) document.subject = event.subject;
  if (event.time !== undefined) document.time = event.time;
  if (event.datacontenttype !== undefined) document.datacontenttype = event.datacontenttype;
  if (event.dataschema !== undefined) document.dataschema = event.dataschema;
  if (event.data !== undefined) document.data = event.data;
  return JSON.stringify(document);
}

/**
 * Publishes to `soar.events.http.<kind>` as structured CloudEvents with `Nats-Msg-Id` =
 * the {@link eventHash} of its {@link eventIdentity}, so a retried POST (or the same Falco alert
 * through another output) within the stream's duplicate window is stored once. A batch with an
 * event larger than the server's `max_payload` once encoded is refused whole with an
 * {@link EventTooLargeError} before anything is published; every other failure to store is a
 * {@link NatsUnavailableError}.
 */
export class JetStreamEventPublisher implements EventPublisher {
  readonly #link: NatsLink;
  readonly #jetstream: JetStreamClient;
  readonly #timeoutMs: number;

  constructor(link: NatsLink, options: { timeoutMs?: number } = {}) {
    this.#link = link;
    this.#jetstream = jetstream(link.connection);
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  available(): boolean {
    return this.#link.connected();
  }

  async publish(kind: string, events: readonly CloudEventEnvelope[]): Promise<PublishOutcome> {
    if (!this.available()) throw new NatsUnavailableError("NATS is not connected");
    const subject = `${HTTP_SUBJECT_PREFIX}.${kind}`;
    const encoder = new TextEncoder();
    const maxPayload = maxPayloadOf(this.#link.connection);
    const messages = events.map((event, index) => {
      const identity = eventIdentity(event);
      const headers = natsHeaders();
      headers.set("Content-Type", STRUCTURED_CONTENT_TYPE);
      headers.set(PubHeaders.MsgIdHdr, eventHash(identity.source, identity.id));
      const data = encoder.encode(structuredEventJson(event));
      const bytes = messageBytes(data, headers);
      if (bytes > maxPayload) {
        throw new EventTooLargeError(
          `body: event ${String(index)} is ${String(bytes)} bytes once encoded as a structured CloudEvent; the event store takes at most ${String(maxPayload)}`,
        );
      }
      return { data, headers };
    });
    try {
      const acks = await Promise.all(
        messages.map(({ data, headers }) => this.#jetstream.publish(subject, data, { headers, timeout: this.#timeoutMs })),
      );
      const duplicates = acks.filter((ack) => ack.duplicate).length;
      return { stored: acks.length - duplicates, duplicates };
    } catch (error: unknown) {
      throw new NatsUnavailableError("JetStream did not store the events", { cause: error });
    }
  }
}
