import { existsSync } from "node:fs";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { processesMentioning } from "../support/processes.ts";

async function withConnection<T>(url: string, use: (connection: NatsConnection) => Promise<T>): Promise<T> {
  const connection = await connect({ servers: url });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

describe("startNats", () => {
  let nats: RunningNats | undefined;
  const server = (): RunningNats => {
    if (nats === undefined) throw new Error("nats-server did not start");
    return nats;
  };

  beforeAll(async () => {
    nats = await startNats({ binDir: inject("binDir") });
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it("round-trips a message with a msg id through a stream and a durable pull consumer", async () => {
    await withConnection(server().url, async (connection) => {
      const manager = await jetstreamManager(connection);
      await manager.streams.add({ name: "ROUNDTRIP", subjects: ["roundtrip.>"] });
      const client = jetstream(connection);
      const first = await client.publish("roundtrip.alert", "payload-1", { msgID: "alert-1" });
      const repeat = await client.publish("roundtrip.alert", "payload-1", { msgID: "alert-1" });
      expect(first.duplicate).toBe(false);
      expect(repeat).toMatchObject({ duplicate: true, seq: first.seq });

      await manager.consumers.add("ROUNDTRIP", { durable_name: "reader", ack_policy: AckPolicy.Explicit });
      const consumer = await client.consumers.get("ROUNDTRIP", "reader");
      const message = await consumer.next({ expires: 5_000 });
      expect(message?.string()).toBe("payload-1");
      expect(message?.headers?.get("Nats-Msg-Id")).toBe("alert-1");
      expect(await message?.ackAck()).toBe(true);
      const info = await consumer.info();
      expect(info.num_ack_pending).toBe(0);
      expect(info.ack_floor.stream_seq).toBe(first.seq);
    });
  });

  it("keeps streams, messages and the URL across a restart", async () => {
    const { url } = server();
    await withConnection(url, async (connection) => {
      const manager = await jetstreamManager(connection);
      await manager.streams.add({ name: "DURABLE", subjects: ["durable.>"] });
      await jetstream(connection).publish("durable.one", "kept", { msgID: "kept-1" });
    });

    await server().restart();

    expect(server().url).toBe(url);
    await withConnection(url, async (connection) => {
      const manager = await jetstreamManager(connection);
      const info = await manager.streams.info("DURABLE");
      expect(info.state.messages).toBe(1);
      const stored = await manager.streams.getMessage("DURABLE", { seq: info.state.first_seq });
      expect(stored?.string()).toBe("kept");
    });
  });

  it("pauses: clients stay connected and get no answer until it resumes", async () => {
    await withConnection(server().url, async (connection) => {
      connection.subscribe("echo", { callback: (_error, message) => { message.respond(message.data); } });
      expect((await connection.request("echo", "before", { timeout: 2_000 })).string()).toBe("before");
      server().pause();
      try {
        await expect(connection.request("echo", "paused", { timeout: 500 })).rejects.toThrow();
        expect(connection.isClosed()).toBe(false);
      } finally {
        server().resume();
      }
      expect((await connection.request("echo", "after", { timeout: 5_000 })).string()).toBe("after");
    });
  });

  it("stops without leaving a process or its directory behind", async () => {
    const own = await startNats({ binDir: inject("binDir") });
    expect(processesMentioning(own.dir).map((found) => found.commandLine).join("\n")).toContain("nats-server");
    await own.stop();
    expect(processesMentioning(own.dir)).toEqual([]);
    expect(existsSync(own.dir)).toBe(false);
    await own.stop();
    await expect(own.restart()).rejects.toThrow("restart after stop()");
  });

  it("reports a server that cannot start with the tail of its log", async () => {
    await expect(startNats({ binDir: inject("binDir"), port: server().port })).rejects.toThrow(
      /nats-server exited while waiting for nats-server to answer 200[\s\S]*address already in use/,
    );
  });
});
