import { jetstream, jetstreamManager, type ConsumerMessages, type JetStreamManager } from "@nats-io/jetstream";
import type { Logger } from "pino";
import type { NatsOptions } from "../../config/options.ts";
import { InflightBudget, type BudgetLease } from "../inflight-budget.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { Semaphore } from "../intake-semaphore.ts";
import type { Delivery, DeliveryHandler, Disposition } from "./delivery.ts";
import type { NatsLink } from "../../runtime/nats-connection.ts";
import { watchConsumerStatus } from "./nats-consumer-status.ts";
import { DeadLetterPublisher } from "./nats-dead-letter.ts";
import { DeliverySettlement } from "./nats-settlement.ts";
import { maxPayloadOf, messageBytes } from "./nats-payload-fit.ts";
import { detachMessage, type SettleableMessage } from "./nats-pulled-message.ts";
import { JetStreamSetupError } from "../../runtime/jetstream-streams.ts";
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

/** How long one pull waits for messages before it ends and the next one is sized afresh. */
export const PULL_EXPIRES_MS = 5_000;

/**
 * Unacknowledged deliveries the shared consumer allows across all replicas: one replica's
 * in-flight count bound, so that replicas share it and no more can be delivered than one replica
 * may hold (deliveries `nak`ed for a later retry count too, until redelivered).
 */
export function maxAckPendingFor(maxInflight: Pick<NatsOptions["maxInflight"], "count">): number {
  return maxInflight.count;
}

/**
 * The bytes of room a pull needs: one message of the server's `max_payload` (the largest it
 * takes, headers included). A {@link JetStreamSetupError} naming the flag when the in-flight byte
 * bound is smaller, as such a message could never be pulled.
 */
export function pullRoomBytes(maxInflightBytes: number, maxPayload: number): number {
  if (maxInflightBytes < maxPayload) {
    throw new JetStreamSetupError(
      `nats.maxInflight.bytes: ${String(maxInflightBytes)} bytes cannot hold one message of the server's max_payload (${String(maxPayload)} bytes); raise --nats-max-inflight-bytes`,
    );
  }
  return maxPayload;
}

/**
 * How many messages the next pull asks for when `free` is what the in-flight budget has left:
 * as many as fit in count and, each counted at the server's `max_payload`, in bytes (the client
 * cannot bound a pull by both, so the byte bound is kept by the batch size).
 */
export function pullBatchSize(free: { count: number; bytes: number }, maxPayload: number): number {
  return Math.min(free.count, Math.floor(free.bytes / maxPayload));
}

function headerRecord(message: SettleableMessage): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  if (message.headers === undefined) return record;
  for (const [name, values] of message.headers) record[name] = [...values];
  return record;
}

/**
 * Consumes the shared durable pull consumer within an in-flight budget: a delivery holds its
 * share of `nats.maxInflight` (one alert, its message's bytes) from the pull that brings it until
 * it is settled, waiting Incident writes included, and a pull is made only when the budget has
 * room for one largest message; it asks for as many messages as the free count and bytes hold
 * (each counted at the largest size until it arrives and its real size is known). A slow or paused
 * API server therefore stops the pulling (the alerts wait in the stream), it never piles them up
 * here. At most `nats.concurrency` deliveries are decoded and matched at once. Sets the stream and
 * consumer up first (and again whenever consuming fails), holds each message detached from the
 * client's read buffers (see {@link detachMessage}), and settles each delivery as its
 * handler says (see {@link DeliverySettlement}): acknowledged only when done, `nak`ed with the
 * configured backoff on transient failures, dead-lettered (then terminated) when invalid or when
 * its last allowed attempt failed.
 */
export class JetStreamSource {
  readonly #options: JetStreamSourceOptions;
  readonly #slots: Semaphore;
  readonly #budget: InflightBudget;
  /** The reservation of the pull in progress: what its messages still to come may take. */
  #pull: BudgetLease | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  /** Deliveries being handled: told "in progress" regularly so JetStream does not redeliver them meanwhile. */
  readonly #unacked = new Set<SettleableMessage>();
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
    this.#budget = new InflightBudget(options.nats.maxInflight);
    this.#settlement = new DeliverySettlement(options);
    this.#usage = new StreamUsageMonitor({ ...options, streams: [options.nats.stream, options.nats.deadLetterStream] });
  }

  /** Alerts and message bytes pulled and not yet settled (a pull's reservation for messages still to come is not counted). */
  inflight(): { count: number; bytes: number } {
    const used = this.#budget.used;
    const reserved = this.#pull?.held ?? { count: 0, bytes: 0 };
    return { count: used.count - reserved.count, bytes: used.bytes - reserved.bytes };
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
    await ensureConsumer(jsm, { ...nats, maxAckPending: maxAckPendingFor(nats.maxInflight) });
    const maxPayload = maxPayloadOf(link.connection);
    const room = pullRoomBytes(nats.maxInflight.bytes, maxPayload);
    await this.#sampleUsage(jsm);
    const js = jetstream(link.connection);
    const deadLetters = new DeadLetterPublisher({ connection: link.connection, jetstream: js, manager: jsm, prefix: nats.deadLetterPrefix });
    const consumer = await js.consumers.get(nats.stream, nats.durable);
    if (this.#stopped()) return;
    this.#consuming = true;
    logger.info({ stream: nats.stream, durable: nats.durable, maxInflight: nats.maxInflight }, "jetstream consumer attached");
    // Sampled on a timer, not at scrape: stream info is a NATS request and a scrape must not wait on it.
    const usageTimer = setInterval(() => void this.#sampleUsage(jsm), this.#options.usageSampleMs ?? 15_000);
    usageTimer.unref();
    try {
      // Set by the status watcher of a pull when the consumer or stream went missing.
      const setup = { missing: false };
      while (!setup.missing && (await this.#budget.whenFits(1, room, this.#stop.signal))) {
        const size = pullBatchSize(this.#budget.free, maxPayload);
        const reservation = this.#budget.tryTake(size, size * maxPayload);
        if (reservation === undefined) continue;
        this.#pull = reservation;
        try {
          const batch = await consumer.fetch({ max_messages: size, expires: PULL_EXPIRES_MS });
          this.#messages = batch;
          const status = watchConsumerStatus(batch, logger).then(
            (outcome) => {
              setup.missing ||= outcome === "missing";
            },
            (error: unknown) => {
              logger.warn({ err: error }, "jetstream consumer status stream failed");
            },
          );
          // A settlement sent while the connection drains or after it closed cannot reach the
          // server; JetStream redelivers the message after ack_wait, so it is dropped, not thrown
          // from a timer or a write's callback.
          const publish = (subject: string, payload: Uint8Array): void => {
            try {
              link.connection.publish(subject, payload);
            } catch (error: unknown) {
              logger.debug({ err: error, subject }, "jetstream settlement not sent: the connection is closing");
            }
          };
          for await (const pulled of batch) {
            const message = detachMessage(pulled, publish);
            const lease = reservation.split(1, messageBytes(message.data, message.headers));
            await this.#slots.acquire();
            const work = this.#process(deadLetters, message, lease);
            this.#inFlight.add(work);
            void work.finally(() => this.#inFlight.delete(work));
          }
          await status;
        } finally {
          this.#pull = undefined;
          reservation.release();
        }
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

  async #process(deadLetters: DeadLetterPublisher, message: SettleableMessage, lease: BudgetLease): Promise<void> {
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
      lease.release();
    }
  }
}
