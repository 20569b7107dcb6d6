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
   * Frees this delivery's decode-and-match slot (`nats.concurrency`) before its outcome is known
   * (the handler calls it once the delivery waits only for a batched write); idempotent. Its share
   * of the in-flight budget is kept until it is settled.
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
