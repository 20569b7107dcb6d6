import { describe, expect, it } from "vitest";
import { maxAckPendingFor } from "./nats-consumer.ts";
import { redeliveryDelayMs } from "./nats-settlement.ts";
import { consumerConfig } from "./nats-stream.ts";

describe("redeliveryDelayMs", () => {
  const cases: [backoff: number[], deliveryCount: number, expected: number][] = [
    [[1_000, 5_000, 15_000], 1, 1_000],
    [[1_000, 5_000, 15_000], 2, 5_000],
    [[1_000, 5_000, 15_000], 3, 15_000],
    [[1_000, 5_000, 15_000], 9, 15_000],
    [[250], 4, 250],
    [[], 1, 1_000],
    [[2_000], 0, 2_000],
  ];
  for (const [backoff, deliveryCount, expected] of cases) {
    it(`after delivery ${String(deliveryCount)} with [${backoff.join(",")}] waits ${String(expected)} ms`, () => {
      expect(redeliveryDelayMs(backoff, deliveryCount)).toBe(expected);
    });
  }
});

describe("maxAckPendingFor", () => {
  it("is at least 1000 and grows with concurrency", () => {
    expect(maxAckPendingFor(1)).toBe(1_000);
    expect(maxAckPendingFor(64)).toBe(8_192);
  });
});

describe("consumerConfig", () => {
  it("is an explicit-ack durable with ack wait and max deliver, without server-side backoff", () => {
    const config = consumerConfig({ stream: "S", durable: "d", maxDeliver: 7, ackWaitMs: 30_000, maxAckPending: 2_000 });
    expect(config).toEqual({
      durable_name: "d",
      ack_policy: "explicit",
      deliver_policy: "all",
      ack_wait: 30_000_000_000,
      max_deliver: 7,
      max_ack_pending: 2_000,
    });
  });
});
