import { describe, expect, it } from "vitest";
import { maxAckPendingFor, pullBatchSize, pullRoomBytes } from "./nats-consumer.ts";
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
  it("is one replica's in-flight count bound, whatever the byte bound", () => {
    expect(maxAckPendingFor({ count: 4_096 })).toBe(4_096);
    expect(maxAckPendingFor({ count: 1 })).toBe(1);
  });
});

describe("pullRoomBytes", () => {
  it("is one message of the server's max_payload", () => {
    expect(pullRoomBytes(32 * 1024 * 1024, 1024 * 1024)).toBe(1024 * 1024);
  });

  it("refuses a byte bound that could never hold a largest message, naming the flag", () => {
    expect(() => pullRoomBytes(1024 * 1024 - 1, 1024 * 1024)).toThrow(/--nats-max-inflight-bytes/);
  });
});

describe("pullBatchSize", () => {
  const MiB = 1024 * 1024;
  it("asks for as many messages as both the free count and the free bytes hold at max_payload each", () => {
    expect(pullBatchSize({ count: 4_096, bytes: 32 * MiB }, MiB)).toBe(32);
    expect(pullBatchSize({ count: 3, bytes: 32 * MiB }, MiB)).toBe(3);
    expect(pullBatchSize({ count: 10, bytes: 2 * MiB - 1 }, MiB)).toBe(1);
    expect(pullBatchSize({ count: 10, bytes: MiB - 1 }, MiB)).toBe(0);
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
