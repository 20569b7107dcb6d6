import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { Logger } from "pino";
import type { NatsOptions } from "../../config/options.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { Semaphore } from "../intake-semaphore.ts";
import type { NatsLink } from "./nats-connection.ts";
import { DeadLetterPublisher } from "./nats-dead-letter.ts";
import { ensureConsumer, ensureDeadLetterStream, ensureStream } from "./nats-stream.ts";

/** One JetStream delivery handed to intake. */
export interface Delivery {
  subject: string;
  /** Header names as sent, each with all its values. */
  headers: Record<string, string[]>;
  data: Uint8Array;
  /** 1 on first delivery. */
  deliveryCount: number;
  streamSequence: number;
  /** `performance.now()` when the delivery reached this process. */
  receivedAt: number;
  /** When JetStream stored the message: the same on every redelivery. */
  storedAt: Date;
  /**
   * Frees this delivery's concurrency slot before its outcome is known (the handler calls it once
   * the delivery waits only for a batched write); idempotent.
   */
  releaseSlot(): void;
}

/** What to do with a delivery once handled. */
export type Disposition =
  | { action: "ack" }
  /** A transient failure: redeliver after a backoff, or dead-letter as `max-deliver` on the last delivery. */
  | { action: "retry"; cause: unknown }
  /** Input that can never succeed: dead-letter with the reason, then terminate. */
  | { action: "dead-letter"; reason: string; field: string; message: string };

/** Handles a delivery; never rejects (a rejection is treated as a retry). */
export type DeliveryHandler = (delivery: Delivery) => Promise<Disposition>;

/** The reason code of deliveries dead-lettered after their last allowed delivery failed. */
export const MAX_DELIVER_REASON = "max-deliver";

/** Options of {@link JetStreamSource}. */
export interface JetStreamSourceOptions {
  link: NatsLink;
  nats: NatsOptions;
  handle: DeliveryHandler;
  logger: Logger;
  metrics: IntakeMetrics;
  /** Delay before setting the stream and consumer up again after a failure. */
  setupRetryMs?: number;
}

/** Redelivery delay after the `deliveryCount`-th delivery failed: `backoffMs` in order, the last repeating. */
export function redeliveryDelayMs(backoffMs: readonly number[], deliveryCount: number): number {
  if (backoffMs.length === 0) return 1_000;
  const index = Math.min(Math.max(deliveryCount - 1, 0), backoffMs.length - 1);
  return backoffMs[index] ?? 1_000;
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Consumes the shared durable pull consumer with at most `nats.concurrency` deliveries being
 * handled at once. Sets the stream and consumer up first (and again whenever consuming fails),
 * acknowledges only what the handler says is done, `nak`s transient failures with the configured
 * backoff, and dead-letters (then terminates) invalid input and deliveries whose last allowed
 * attempt failed.
 */
export class JetStreamSource {
  readonly #options: JetStreamSourceOptions;
  readonly #slots: Semaphore;
  readonly #inFlight = new Set<Promise<void>>();
  /** Deliveries being handled: told "in progress" regularly so JetStream does not redeliver them meanwhile. */
  readonly #unacked = new Set<JsMsg>();
  #heartbeat: NodeJS.Timeout | undefined;
  /** Acknowledgements sent together at the end of the current event-loop turn (one socket write). */
  #acks: JsMsg[] = [];
  readonly #stop = new AbortController();
  #messages: ConsumerMessages | undefined;
  #consuming = false;
  #loop: Promise<void> | undefined;

  constructor(options: JetStreamSourceOptions) {
    this.#options = options;
    this.#slots = new Semaphore(Math.max(1, options.nats.concurrency));
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
    const js = jetstream(link.connection);
    const deadLetters = new DeadLetterPublisher({ connection: link.connection, jetstream: js, manager: jsm, prefix: nats.deadLetterPrefix });
    const consumer = await js.consumers.get(nats.stream, nats.durable);
    if (this.#stopped()) return;
    const messages = await consumer.consume({ max_messages: Math.max(4 * nats.concurrency, 64) });
    this.#messages = messages;
    this.#consuming = true;
    logger.info({ stream: nats.stream, durable: nats.durable }, "jetstream consumer attached");
    this.#watchStatus(messages).catch((error: unknown) => {
      logger.warn({ err: error }, "jetstream consumer status stream failed");
    });
    for await (const message of messages) {
      await this.#slots.acquire();
      const work = this.#process(deadLetters, message);
      this.#inFlight.add(work);
      void work.finally(() => this.#inFlight.delete(work));
    }
    this.#consuming = false;
    logger.info({ stream: nats.stream, durable: nats.durable }, "jetstream consumer detached");
  }

  async #watchStatus(messages: ConsumerMessages): Promise<void> {
    const { logger } = this.#options;
    for await (const status of messages.status()) {
      switch (status.type) {
        case "heartbeats_missed":
          logger.warn({ count: status.count }, "jetstream heartbeats missed");
          break;
        case "consumer_not_found":
        case "stream_not_found":
          logger.warn({ notification: status.type }, "jetstream consumer or stream missing");
          // Recreate them (create mode) or wait for them (verify mode) through a fresh setup.
          await messages.close();
          return;
        case "consumer_deleted":
          logger.warn({ code: status.code }, "jetstream consumer deleted");
          await messages.close();
          return;
        case "exceeded_limits":
          logger.warn({ code: status.code, description: status.description }, "jetstream pull exceeded limits");
          break;
        case "no_responders":
          logger.warn({ code: status.code }, "jetstream not responding");
          break;
        default:
          break;
      }
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
      await this.#settle(deadLetters, message, disposition);
    } finally {
      this.#unacked.delete(message);
      releaseSlot();
    }
  }

  async #settle(deadLetters: DeadLetterPublisher, message: JsMsg, disposition: Disposition): Promise<void> {
    const { nats, logger } = this.#options;
    const deliveryCount = message.info.deliveryCount;
    if (disposition.action === "ack") {
      this.#ack(message);
      return;
    }
    if (disposition.action === "retry") {
      if (deliveryCount < nats.maxDeliver) {
        const delayMs = redeliveryDelayMs(nats.backoffMs, deliveryCount);
        logger.warn({ err: disposition.cause, subject: message.subject, deliveryCount, delayMs }, "alert delivery failed; redelivering later");
        message.nak(delayMs);
        return;
      }
      await this.#deadLetter(deadLetters, message, {
        reason: MAX_DELIVER_REASON,
        field: "delivery",
        message: `delivery: gave up after ${String(deliveryCount)} deliveries (max ${String(nats.maxDeliver)}): ${errorText(disposition.cause)}`,
      });
      return;
    }
    await this.#deadLetter(deadLetters, message, disposition);
  }

  #ack(message: JsMsg): void {
    this.#acks.push(message);
    if (this.#acks.length > 1) return;
    setImmediate(() => {
      const acks = this.#acks;
      this.#acks = [];
      for (const pending of acks) pending.ack();
    });
  }

  async #deadLetter(deadLetters: DeadLetterPublisher, message: JsMsg, why: { reason: string; field: string; message: string }): Promise<void> {
    const { nats, logger, metrics } = this.#options;
    try {
      await deadLetters.publish({
        subject: message.subject,
        headers: message.headers,
        data: message.data,
        deliveryCount: message.info.deliveryCount,
      }, why);
    } catch (error: unknown) {
      logger.error({ err: error, subject: message.subject, reason: why.reason }, "dead-letter publish failed; redelivering later");
      message.nak(redeliveryDelayMs(nats.backoffMs, message.info.deliveryCount));
      return;
    }
    metrics.deadLettered.inc({ reason: why.reason });
    logger.warn({ subject: message.subject, reason: why.reason, field: why.field }, "alert dead-lettered");
    message.term(why.reason);
  }
}
