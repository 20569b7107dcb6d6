import { AckPolicy, jetstream, jetstreamManager, type Consumer, type JsMsg } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { detachMessage } from "../../src/ingest/transport/nats-pulled-message.ts";

/** A payload spanning many socket reads, as a large alert does. */
const LARGE = 900 * 1024;

describe("detachMessage", () => {
  let nats: RunningNats | undefined;
  let connection: NatsConnection | undefined;
  const conn = (): NatsConnection => {
    if (connection === undefined) throw new Error("no NATS connection");
    return connection;
  };
  const publish = (subject: string, payload: Uint8Array): void => {
    conn().publish(subject, payload);
  };

  beforeAll(async () => {
    nats = await startNats({ binDir: inject("binDir") });
    connection = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await connection?.close();
    await nats?.stop();
  });

  async function consumerOf(name: string): Promise<Consumer> {
    const manager = await jetstreamManager(conn());
    await manager.streams.add({ name, subjects: [`${name.toLowerCase()}.>`] });
    await manager.consumers.add(name, { durable_name: "reader", ack_policy: AckPolicy.Explicit, ack_wait: 30_000_000_000 });
    return jetstream(conn()).consumers.get(name, "reader");
  }

  async function next(consumer: Consumer): Promise<JsMsg> {
    const message = await consumer.next({ expires: 5_000 });
    if (message === null) throw new Error("no message delivered");
    return message;
  }

  it("holds a large payload in a buffer of its own size, where the client's message holds a larger one", async () => {
    const consumer = await consumerOf("LARGE");
    const payload = new Uint8Array(LARGE).fill(0x61);
    await jetstream(conn()).publish("large.alert", payload);
    const pulled = await next(consumer);
    const detached = detachMessage(pulled, publish);
    expect(pulled.data.buffer.byteLength).toBeGreaterThan(LARGE);
    expect(detached.data.byteLength).toBe(LARGE);
    expect(detached.data.buffer.byteLength).toBe(LARGE);
    expect(detached.data).toEqual(payload);
    expect(detached.info).toMatchObject({ deliveryCount: 1, streamSequence: 1 });
    detached.ack();
    await conn().flush();
    expect((await consumer.info()).num_ack_pending).toBe(0);
  });

  it("settles on the reply subject: nak with a delay redelivers after it, term never redelivers, only the first final settlement counts", async () => {
    const consumer = await consumerOf("SETTLE");
    const client = jetstream(conn());
    await client.publish("settle.one", "one");
    const first = detachMessage(await next(consumer), publish);
    first.working();
    first.nak(1_500);
    first.ack();
    const began = Date.now();
    const again = detachMessage(await next(consumer), publish);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_000);
    expect(again.info.deliveryCount).toBe(2);
    again.term("invalid");
    again.nak();
    await conn().flush();
    expect(await consumer.next({ expires: 2_000 })).toBeNull();
    expect((await consumer.info()).num_ack_pending).toBe(0);
  });
});
