import { jetstream, jetstreamManager, PubHeaders, type JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { OperatorOptions } from "../../config/options.ts";
import { connectNats, type NatsConnectionSettings, type NatsLink } from "../../runtime/nats-connection.ts";
import type { LifecycleEventSink, PublishResult } from "./lifecycle-event-sink.ts";
import { lifecycleMessage } from "./lifecycle-message.ts";
import { ensureLifecycleStream, type LifecycleStreamSettings } from "./lifecycle-stream.ts";
import type { LifecycleEvent } from "./pending-events.ts";

/**
 * Longest wait for the NATS server's answer to one publish: a reconcile with events to publish
 * waits at most this long on a server that does not answer (a healthy one answers in
 * milliseconds), then keeps the event pending.
 */
export const LIFECYCLE_PUBLISH_TIMEOUT_MS = 2_000;

/** A lifecycle event NATS did not take; the event stays pending. */
export class LifecyclePublishError extends Error {
  override readonly name = "LifecyclePublishError";
}

/** What the publisher is built from. */
export interface NatsLifecyclePublisherSettings {
  readonly connection: NatsConnectionSettings;
  /** Subject prefix of the events. */
  readonly prefix: string;
  /** The CloudEvent `source` of every event. */
  readonly source: string;
  /** The capture stream; absent: events are published with core NATS. */
  readonly stream?: Omit<LifecycleStreamSettings, "prefix"> | undefined;
}

/** The connection once it is up, and its JetStream client. */
interface Connected {
  readonly link: NatsLink;
  readonly jetstream: JetStreamClient;
}

/**
 * Publishes lifecycle events on NATS (see `lifecycleMessage`) over a connection of its own,
 * opened in the background at start and kept forever (reconnects included), with `Nats-Msg-Id`
 * set to the event id. With a capture stream, each event is a JetStream publish, answered once
 * the stream stored it (or found its id within the duplicate window); the stream is created or
 * verified before the first publish, and again after a failed attempt. Without one, each event
 * is a core publish answered by a round trip to the server: subscribers connected at that time
 * receive it. A publish is refused at once while disconnected and given up after
 * {@link LIFECYCLE_PUBLISH_TIMEOUT_MS}.
 */
export class NatsLifecyclePublisher implements LifecycleEventSink {
  readonly #settings: NatsLifecyclePublisherSettings;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  readonly #connecting: Promise<void>;
  #connected: Connected | undefined;
  #stream: Promise<void> | undefined;

  constructor(settings: NatsLifecyclePublisherSettings, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger.child({ component: "incident-events" });
    this.#connecting = this.#connect();
  }

  async #connect(): Promise<void> {
    try {
      const link = await connectNats(this.#settings.connection, this.#logger, { name: "kube-soar-incident-events", signal: this.#abort.signal });
      this.#connected = { link, jetstream: jetstream(link.connection) };
    } catch (error: unknown) {
      if (!this.#abort.signal.aborted) this.#logger.error({ err: error }, "nats connection failed; incident lifecycle events are not published");
    }
  }

  /** Whether the connection is up: events can be published now. */
  connected(): boolean {
    return this.#connected?.link.connected() ?? false;
  }

  async publish(event: LifecycleEvent): Promise<PublishResult> {
    const connected = this.#connected;
    if (connected === undefined || !connected.link.connected()) throw new LifecyclePublishError("NATS is not connected");
    const { link } = connected;
    const message = lifecycleMessage(this.#settings.prefix, this.#settings.source, event);
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
    headers.set(PubHeaders.MsgIdHdr, event.id);
    try {
      if (this.#settings.stream !== undefined) {
        await this.#ensureStream(link);
        const ack = await connected.jetstream.publish(message.subject, message.data, { headers, timeout: LIFECYCLE_PUBLISH_TIMEOUT_MS });
        return ack.duplicate ? "duplicate" : "published";
      }
      await this.#publishCore(link, message.subject, message.data, headers);
      return "published";
    } catch (error: unknown) {
      throw new LifecyclePublishError("NATS did not take the lifecycle event", { cause: error });
    }
  }

  async #publishCore(link: NatsLink, subject: string, data: Uint8Array, headers: MsgHdrs): Promise<void> {
    link.connection.publish(subject, data, { headers });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`no answer from the NATS server within ${String(LIFECYCLE_PUBLISH_TIMEOUT_MS)} ms`)); }, LIFECYCLE_PUBLISH_TIMEOUT_MS);
    });
    try {
      await Promise.race([link.connection.flush(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #ensureStream(link: NatsLink): Promise<void> {
    const stream = this.#settings.stream;
    if (stream === undefined) return Promise.resolve();
    this.#stream ??= (async () => {
      const jsm = await jetstreamManager(link.connection, { timeout: LIFECYCLE_PUBLISH_TIMEOUT_MS });
      const info = await ensureLifecycleStream(jsm, { ...stream, prefix: this.#settings.prefix });
      this.#logger.info({ stream: info.config.name, subjects: info.config.subjects }, "incident events stream ready");
    })().catch((error: unknown) => {
      this.#stream = undefined;
      this.#logger.error({ err: error, stream: stream.stream }, "incident events stream setup failed; retried with the next event");
      throw error;
    });
    return this.#stream;
  }

  /** Stops connecting, and drains and closes the connection; idempotent. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#connecting;
    await this.#connected?.link.close();
  }
}

/**
 * The publisher of the operator's options (`--nats-incident-events-*`, the NATS connection
 * flags, `--nats-stream-mode`, `--nats-duplicate-window`), with CloudEvent source
 * `kube-soar/<namespace>`; undefined when the prefix is empty (nothing is published).
 */
export function lifecyclePublisherFor(options: Pick<OperatorOptions, "namespace" | "nats" | "incidentEvents">, logger: Logger): NatsLifecyclePublisher | undefined {
  const { incidentEvents: events, nats } = options;
  if (events.prefix === "") return undefined;
  const stream = events.stream === "" ? undefined : { stream: events.stream, streamMode: nats.streamMode, duplicateWindowMs: nats.duplicateWindowMs, maxAgeMs: events.maxAgeMs, limits: events.limits };
  return new NatsLifecyclePublisher({ connection: nats, prefix: events.prefix, source: `kube-soar/${options.namespace}`, stream }, logger);
}
