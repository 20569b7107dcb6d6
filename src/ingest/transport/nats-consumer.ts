import { jetstream, jetstreamManager, type ConsumerMessages, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { Logger } from "pino";
import type { NatsOptions } from "../../config/options.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { Semaphore } from "../intake-semaphore.ts";
import type { Delivery, DeliveryHandler, Disposition } from "./delivery.ts";
import type { NatsLink } from "./nats-connection.ts";
import { watchConsumerStatus } from "./nats-consumer-status.ts";
import { DeadLetterPublisher } from "./nats-dead-letter.ts";
import { DeliverySettlement } from "./nats-settlement.ts";
import { ensureConsumer, ensureDeadLetterStream, ensureStream } from "./nats-stream.ts";
import { StreamUsageMonitor } from "./nats-stream-usage.ts";

/** Options of {@link JetStreamSource}. */
export interface JetStreamSourceOptions {
  link: NatsLink;
  nats: NatsOptions;
  handle: DeliveryHandler;
  logger: Logger;
  metrics: IntakeMetrics;
  /** Delay before setting the stream and consumer up again after a failure. */
  setupRetryMs?: number;
  /** How often the streams' usage is sampled (metrics and the nearly-full warning) while attached. */
  usageSampleMs?: number;
}

/** Unacknowledged deliveries the shared consumer allows, across replicas, for a per-replica concurrency. */
export function maxAckPendingFor(concurrency: number): number {
  // Deliveries waiting for a coalesced write no longer hold a concurrency slot; this bounds them.
  return Math.max(1_000, concurrency * 128);
}

function headerRecord(message: JsMsg): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  if (message.headers === undefined) return record;
  for (const [name, values] of message.headers) record[name] = [...values];
  return record;
}

/**
 * Consumes the shared durable pull consumer with at most `nats.concurrency` deliveries being
 * handled at once. Sets the stream and consumer up first (and again whenever consuming fails),
 * and settles each delivery as its handler says (see {@link DeliverySettlement}): acknowledged
 * only when done, `nak`ed with the configured backoff on transient failures, dead-lettered (then
 * terminated) when invalid or when its last allowed attempt failed.
 */
export class JetStreamSource {
  readonly #options: JetStreamSourceOptions;
  readonly #slots: Semaphore;
  readonly #inFlight = new Set<Promise<void>>();
  /** Deliveries being handled: told "in progress" regularly so JetStream does not redeliver them meanwhile. */
  readonly #unacked = new Set<JsMsg>();
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #settlement: DeliverySettlement;
  readonly #usage: StreamUsageMonitor;
  readonly #stop = new AbortController();
  #messages: ConsumerMessages | undefined;
  #consuming = false;
  #loop: Promise<void> | undefined;

  constructor(options: JetStreamSourceOptions) {
    this.#options = options;
    this.#slots = new Semaphore(Math.max(1, options.nats.concurrency));
    this.#settlement = new DeliverySettlement(options);
    this.#usage = new StreamUsageMonitor({ ...options, streams: [options.nats.stream, options.nats.deadLetterStream] });
  }

  /** True while the consumer is attached and delivering. */
  ready(): boolean {
    return this.#consuming && this.#options.link.connected();
  }

  /** Starts consuming in the background. */
  start(): void {
    if (this.#loop !== undefined) return;
    // A delivery waiting for a slow (coalesced, retried) write must not be redelivered to another
    // replica while this one still works on it: that would race two writers for one event.
    this.#heartbeat = setInterval(() => {
      for (const message of this.#unacked) message.working();
    }, Math.max(500, Math.floor(this.#options.nats.ackWaitMs / 3)));
    this.#heartbeat.unref();
    this.#loop = this.#run();
  }

  /**
   * Stops pulling, then waits up to `graceMs` for deliveries being handled; those still running
   * after that are left unacknowledged and are redelivered to another replica after `ack_wait`.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stop.abort();
    await this.#messages?.close();
    await this.#loop;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
    clearTimeout(timer);
    clearInterval(this.#heartbeat);
    this.#unacked.clear();
  }

  async #run(): Promise<void> {
    const { logger } = this.#options;
    while (!this.#stopped()) {
      try {
        await this.#consumeOnce();
      } catch (error: unknown) {
        if (!this.#stopped()) logger.error({ err: error }, "jetstream consumer failed; setting up again");
      }
      this.#consuming = false;
      if (this.#stopped()) break;
      await this.#pause(this.#options.setupRetryMs ?? 2_000);
    }
  }

  #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.#stop.signal;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async #consumeOnce(): Promise<void> {
    const { link, nats, logger } = this.#options;
    const jsm = await jetstreamManager(link.connection);
    await ensureStream(jsm, nats);
    await ensureDeadLetterStream(jsm, nats);
    await ensureConsumer(jsm, { ...nats, maxAckPending: maxAckPendingFor(nats.concurrency) });
    await this.#sampleUsage(jsm);
    const js = jetstream(link.connection);
    const deadLetters = new DeadLetterPublisher({ connection: link.connection, jetstream: js, manager: jsm, prefix: nats.deadLetterPrefix });
    const consumer = await js.consumers.get(nats.stream, nats.durable);
    if (this.#stopped()) return;
    const messages = await consumer.consume({ max_messages: Math.max(4 * nats.concurrency, 64) });
    this.#messages = messages;
    this.#consuming = true;
    logger.info({ stream: nats.stream, durable: nats.durable }, "jetstream consumer attached");
    watchConsumerStatus(messages, logger).catch((error: unknown) => {
      logger.warn({ err: error }, "jetstream consumer status stream failed");
    });
    // Sampled on a timer, not at scrape: stream info is a NATS request and a scrape must not wait on it.
    const usageTimer = setInterval(() => void this.#sampleUsage(jsm), this.#options.usageSampleMs ?? 15_000);
    usageTimer.unref();
    try {
      for await (const message of messages) {
        await this.#slots.acquire();
        const work = this.#process(deadLetters, message);
        this.#inFlight.add(work);
        void work.finally(() => this.#inFlight.delete(work));
      }
    } finally {
      clearInterval(usageTimer);
    }
    this.#consuming = false;
    logger.info({ stream: nats.stream, durable: nats.durable }, "jetstream consumer detached");
  }

  /** Samples the streams' usage; a failure is logged, never stops consuming. */
  async #sampleUsage(jsm: JetStreamManager): Promise<void> {
    try {
      await this.#usage.sample(jsm);
    } catch (error: unknown) {
      this.#options.logger.warn({ err: error }, "jetstream stream usage could not be read");
    }
  }

  async #process(deadLetters: DeadLetterPublisher, message: JsMsg): Promise<void> {
    this.#unacked.add(message);
    let released = false;
    const releaseSlot = (): void => {
      if (released) return;
      released = true;
      this.#slots.release();
    };
    try {
      const delivery: Delivery = {
        subject: message.subject,
        headers: headerRecord(message),
        data: message.data,
        deliveryCount: message.info.deliveryCount,
        streamSequence: message.info.streamSequence,
        receivedAt: performance.now(),
        storedAt: new Date(Math.floor(message.info.timestampNanos / 1_000_000)),
        releaseSlot,
      };
      let disposition: Disposition;
      try {
        disposition = await this.#options.handle(delivery);
      } catch (error: unknown) {
        disposition = { action: "retry", cause: error };
      }
      await this.#settlement.settle(deadLetters, message, disposition);
    } finally {
      this.#unacked.delete(message);
      releaseSlot();
    }
  }
}
