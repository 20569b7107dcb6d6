import type { Logger } from "pino";
import type { NatsOptions } from "../../config/options.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import type { Disposition } from "./delivery.ts";
import type { DeadLetterPublisher } from "./nats-dead-letter.ts";
import type { SettleableMessage } from "./nats-pulled-message.ts";

/** The reason code of deliveries dead-lettered after their last allowed delivery failed. */
export const MAX_DELIVER_REASON = "max-deliver";

/** Redelivery delay after the `deliveryCount`-th delivery failed: `backoffMs` in order, the last repeating. */
export function redeliveryDelayMs(backoffMs: readonly number[], deliveryCount: number): number {
  if (backoffMs.length === 0) return 1_000;
  const index = Math.min(Math.max(deliveryCount - 1, 0), backoffMs.length - 1);
  return backoffMs[index] ?? 1_000;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Options of {@link DeliverySettlement}. */
export interface DeliverySettlementOptions {
  readonly nats: Pick<NatsOptions, "maxDeliver" | "backoffMs">;
  readonly logger: Logger;
  readonly metrics: IntakeMetrics;
}

/**
 * Tells JetStream what became of a handled message: acknowledges it (acknowledgements of one
 * event-loop turn go out together, in one socket write), `nak`s a transient failure with the
 * configured backoff, and dead-letters then terminates invalid input and a message whose last
 * allowed delivery failed. A dead letter that cannot be published is `nak`ed instead, so it is
 * tried again on redelivery.
 */
export class DeliverySettlement {
  readonly #options: DeliverySettlementOptions;
  /** Acknowledgements sent together at the end of the current event-loop turn (one socket write). */
  #acks: SettleableMessage[] = [];

  constructor(options: DeliverySettlementOptions) {
    this.#options = options;
  }

  /** Settles `message` as `disposition` says; see the class comment. */
  async settle(deadLetters: DeadLetterPublisher, message: SettleableMessage, disposition: Disposition): Promise<void> {
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

  #ack(message: SettleableMessage): void {
    this.#acks.push(message);
    if (this.#acks.length > 1) return;
    setImmediate(() => {
      const acks = this.#acks;
      this.#acks = [];
      for (const pending of acks) pending.ack();
    });
  }

  async #deadLetter(deadLetters: DeadLetterPublisher, message: SettleableMessage, why: { reason: string; field: string; message: string }): Promise<void> {
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
