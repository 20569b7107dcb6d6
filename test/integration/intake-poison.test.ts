import { jetstreamManager } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { DeadLetterHeader } from "../../src/ingest/transport/nats-dead-letter.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { metricValue, post, publish, RECEIVER_AUTH, testOptions, useIntakeSuite } from "./intake-helpers.ts";

const structured = { "content-type": "application/cloudevents+json" };

describe("poison input never loops and is never answered as retryable", () => {
  const suite = useIntakeSuite(
    async (kubeConfig, natsUrl) => testOptions({ natsUrl, defaultNamespace: await createTestNamespace(kubeConfig, "intake-poison"), receiver: { maxBodyBytes: 256 * 1024 } }),
    { captureDeadLetters: true },
  );

  it("dead-letters an invalid message near max_payload cut to fit, with the marker and original size, and acknowledges it", async () => {
    const maxPayload = suite.connection.info?.max_payload ?? 0;
    expect(maxPayload).toBe(1024 * 1024);
    // As large as the server takes with its headers: with the reason headers added it cannot fit.
    const body = Buffer.alloc(maxPayload - 256, "{");
    await publish(suite.connection, "soar.events.poison", body, structured);
    const entry = await waitFor(() => suite.deadLetters.find((message) => message.headers?.get(DeadLetterHeader.OriginalSubject) === "soar.events.poison"), {
      timeoutMs: 20_000,
      description: "the dead letter of the poison message",
    });
    const reason = entry.headers?.get(DeadLetterHeader.Reason) ?? "";
    expect(reason).not.toBe("");
    expect(entry.headers?.get(DeadLetterHeader.Truncated)).toBe("true");
    expect(entry.headers?.get(DeadLetterHeader.OriginalSize)).toBe(String(body.length));
    expect(entry.headers?.get("content-type")).toBe(structured["content-type"]);
    expect(entry.data.length).toBeLessThan(body.length);
    expect(Buffer.from(entry.data).equals(body.subarray(0, entry.data.length))).toBe(true);

    const jsm = await jetstreamManager(suite.connection);
    await waitFor(async () => (await jsm.streams.info("SOAR_EVENTS")).state.messages === 0, { timeoutMs: 10_000, description: "the poison message gone from the alert stream" });
    const consumer = await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake");
    expect(consumer.num_ack_pending).toBe(0);
    expect(consumer.num_redelivered).toBe(0);
    const stored = await jsm.streams.info("SOAR_DEADLETTER");
    expect(stored.state.messages).toBe(1);
    expect(await metricValue(suite.intake.registry, "soar_intake_dead_lettered_total", { reason })).toBe(1);
  });

  it("answers 413 with the reason to a valid event that grows past max_payload once encoded, storing nothing", async () => {
    // 200 KiB of U+0001 is a valid text body, but each byte becomes the six characters \u0001 in JSON.
    const body = Buffer.alloc(200 * 1024, 0x01);
    const response = await post(suite.intake.receiverUrl, "/events", body, {
      ...RECEIVER_AUTH,
      "content-type": "text/plain; charset=utf-8",
      "ce-specversion": "1.0",
      "ce-id": "controls-1",
      "ce-source": "//poison.test/controls",
      "ce-type": "com.example.controls",
    });
    expect(response.status).toBe(413);
    const error = (response.json as { error: { reason: string; field: string; message: string } }).error;
    expect(error).toMatchObject({ reason: "too-large", field: "body" });
    expect(error.message).toMatch(/^body: event 0 is \d+ bytes once encoded as a structured CloudEvent; the event store takes at most 1048576$/);
    const jsm = await jetstreamManager(suite.connection);
    expect((await jsm.streams.info("SOAR_EVENTS")).state.messages).toBe(0);
  });

  it("exposes both streams' usage on a scrape", async () => {
    const text = await suite.intake.registry.metrics();
    for (const stream of ["SOAR_EVENTS", "SOAR_DEADLETTER"]) {
      for (const name of ["soar_nats_stream_bytes", "soar_nats_stream_messages", "soar_nats_stream_max_bytes", "soar_nats_stream_max_messages"]) {
        expect(text).toContain(`${name}{stream="${stream}"}`);
      }
    }
  });
});
