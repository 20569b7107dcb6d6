import { jetstreamManager, RetentionPolicy, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { Registry } from "prom-client";
import { createIntakeMetrics } from "../../src/ingest/intake-metrics.ts";
import { JetStreamSetupError } from "../../src/runtime/jetstream-streams.ts";
import { ensureDeadLetterStream, ensureStream, type DeadLetterStreamSettings } from "../../src/ingest/transport/nats-stream.ts";
import { StreamUsageMonitor } from "../../src/ingest/transport/nats-stream-usage.ts";
import { LogCapture, metricValue, natsClient } from "./intake-helpers.ts";

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

  it("creates both streams with the configured limits and discard policies", async () => {
    const events = await ensureStream(jsm, {
      stream: "LIMITED",
      subjects: ["limited.>"],
      streamMode: "create",
      duplicateWindowMs: 120_000,
      streamLimits: { maxBytes: 1024 ** 3, maxMsgs: 1_000_000, discard: "new" },
    });
    const dead = await ensureDeadLetterStream(jsm, deadLetters({ deadLetterStream: "DL_LIMITED", deadLetterPrefix: "limited-dead", deadLetterLimits: { maxBytes: 256 * 1024 ** 2, maxMsgs: 100_000, discard: "old" } }));
    expect((await jsm.streams.info("LIMITED")).config).toMatchObject({ max_bytes: 1024 ** 3, max_msgs: 1_000_000, discard: "new" });
    expect((await jsm.streams.info("DL_LIMITED")).config).toMatchObject({ max_bytes: 256 * 1024 ** 2, max_msgs: 100_000, discard: "old" });
    expect(events.config.max_bytes).toBe(1024 ** 3);
    expect(dead.config.discard).toBe("old");
  });

  it("in create mode puts the limits on an existing stream without any", async () => {
    await jsm.streams.add({ name: "UNLIMITED", subjects: ["unlimited.>"], retention: RetentionPolicy.Workqueue });
    await ensureStream(jsm, { stream: "UNLIMITED", subjects: ["unlimited.>"], streamMode: "create", duplicateWindowMs: 120_000, streamLimits: { maxBytes: 4096, maxMsgs: 10, discard: "new" } });
    expect((await jsm.streams.info("UNLIMITED")).config).toMatchObject({ max_bytes: 4096, max_msgs: 10, discard: "new" });
  });

  it("in verify mode accepts a stream without limits and leaves it as it is", async () => {
    await jsm.streams.add({ name: "OWNED", subjects: ["owned.>"] });
    const info = await ensureStream(jsm, { stream: "OWNED", subjects: ["owned.>"], streamMode: "verify", duplicateWindowMs: 120_000, streamLimits: { maxBytes: 4096, maxMsgs: 10, discard: "new" } });
    expect(info.config).toMatchObject({ max_bytes: -1, max_msgs: -1 });
    expect((await jsm.streams.info("OWNED")).config).toMatchObject({ max_bytes: -1, max_msgs: -1 });
  });

  it("samples usage into the gauges and warns once when a stream reaches 80 % of a limit", async () => {
    await ensureStream(jsm, { stream: "FILLING", subjects: ["filling.>"], streamMode: "create", duplicateWindowMs: 120_000, streamLimits: { maxBytes: 0, maxMsgs: 10, discard: "new" } });
    const registry = new Registry();
    const logs = new LogCapture();
    const monitor = new StreamUsageMonitor({ metrics: createIntakeMetrics(registry), logger: logs.logger, streams: ["FILLING"] });
    const nearlyFull = (): string[] => logs.lines.filter((line) => line.includes("jetstream stream is nearly full"));
    const js = jsm.jetstream();
    for (let index = 0; index < 7; index++) await js.publish("filling.x", `m${String(index)}`);
    await monitor.sample(jsm);
    expect(nearlyFull()).toHaveLength(0);
    expect(await metricValue(registry, "soar_nats_stream_messages", { stream: "FILLING" })).toBe(7);
    expect(await metricValue(registry, "soar_nats_stream_max_messages", { stream: "FILLING" })).toBe(10);
    expect(await metricValue(registry, "soar_nats_stream_bytes", { stream: "FILLING" })).toBeGreaterThan(0);
    expect(logs.lines.filter((line) => line.includes("has no byte limit"))).toHaveLength(1);
    await js.publish("filling.x", "m7");
    await monitor.sample(jsm);
    await js.publish("filling.x", "m8");
    await monitor.sample(jsm);
    expect(nearlyFull()).toHaveLength(1);
    expect(JSON.parse(nearlyFull()[0] ?? "{}")).toMatchObject({ stream: "FILLING", messages: 8, maxMessages: 10, percent: 80, discard: "new" });
  });
});
