import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { ensureDeadLetterStream, ensureStream, JetStreamSetupError, type DeadLetterStreamSettings } from "../../src/ingest/transport/nats-stream.ts";
import { natsClient } from "./intake-helpers.ts";

const noLimits = { maxBytes: 0, maxMsgs: 0, discard: "old" } as const;

const deadLetters = (overrides: Partial<DeadLetterStreamSettings> = {}): DeadLetterStreamSettings => ({
  deadLetterStream: "DL",
  deadLetterPrefix: "soar.deadletter",
  deadLetterMaxAgeMs: 60 * 60 * 1000,
  streamMode: "create",
  duplicateWindowMs: 120_000,
  deadLetterLimits: noLimits,
  ...overrides,
});

describe("JetStream streams of intake (real nats-server)", () => {
  let nats: RunningNats;
  let connection: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nats = await startNats({ binDir: inject("binDir") });
    connection = await natsClient(nats.url);
    jsm = await jetstreamManager(connection);
  });

  afterAll(async () => {
    await connection.close();
    await nats.stop();
  });

  it("creates the dead-letter stream with limits retention and the max age, and is idempotent", async () => {
    const first = await ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_CREATE" }));
    const again = await ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_CREATE" }));
    expect(first.config).toMatchObject({ name: "DL_CREATE", subjects: ["soar.deadletter.>"], retention: "limits", storage: "file", max_age: 3_600_000_000_000 });
    expect(again.config.subjects).toEqual(["soar.deadletter.>"]);
  });

  it("extends an existing stream to cover the dead-letter subjects, keeping its own", async () => {
    await jsm.streams.add({ name: "DL_EXTEND", subjects: ["audit.>"] });
    const info = await ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_EXTEND", deadLetterPrefix: "ops.dead" }));
    expect(info.config.subjects).toEqual(["audit.>", "ops.dead.>"]);
  });

  it("names the option when the dead-letter subjects overlap another stream", async () => {
    await ensureStream(jsm, { stream: "ALERTS_WIDE", subjects: ["wide.>"], streamMode: "create", duplicateWindowMs: 120_000, streamLimits: noLimits });
    const failure = ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_OVERLAP", deadLetterPrefix: "wide.dead" }));
    await expect(failure).rejects.toThrow(JetStreamSetupError);
    await expect(failure).rejects.toThrow(/^nats\.deadLetterStream: stream "DL_OVERLAP" for wide\.dead\.> could not be created: /);
  });

  it("in verify mode refuses a missing dead-letter stream or one that does not cover the prefix, changing nothing", async () => {
    await expect(ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_ABSENT", streamMode: "verify" }))).rejects.toThrow(
      'nats.deadLetterStream: stream "DL_ABSENT" does not exist (stream mode verify)',
    );
    await jsm.streams.add({ name: "DL_NARROW", subjects: ["narrow.dead.max-deliver"] });
    await expect(ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_NARROW", deadLetterPrefix: "narrow.dead", streamMode: "verify" }))).rejects.toThrow(
      'nats.deadLetterPrefix: stream "DL_NARROW" does not cover narrow.dead.> (stream mode verify)',
    );
    expect((await jsm.streams.info("DL_NARROW")).config.subjects).toEqual(["narrow.dead.max-deliver"]);
  });

  it("in verify mode accepts a dead-letter stream that covers the prefix", async () => {
    await jsm.streams.add({ name: "DL_READY", subjects: ["ready.dead.>"] });
    const info = await ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_READY", deadLetterPrefix: "ready.dead", streamMode: "verify" }));
    expect(info.config.name).toBe("DL_READY");
  });
});
