import { Registry } from "prom-client";
import { describe, expect, it, vi } from "vitest";
import { EventLoopTurns } from "../runtime/event-loop-turns.ts";
import { NO_PLAYBOOKS, NO_SUPPRESSIONS } from "../testing/ingest.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { silentLogger } from "../testing/silent-logger.ts";
import { DEFAULT_ALERT_INTAKE_OPTIONS } from "./alert-intake.ts";
import { createIntakeMetrics } from "./intake-metrics.ts";
import { createDeliveryHandler } from "./intake-pipeline.ts";
import type { Delivery } from "./transport/delivery.ts";
import type { WriteRequest } from "./write/write-request.ts";
import type { AlertMatcher, AlertSilencer } from "./intake-pipeline.ts";
import type { Silencing } from "./suppress/suppression-index.ts";

function delivery(body: unknown): Delivery {
  return {
    subject: "soar.events.test",
    headers: { "content-type": ["application/cloudevents+json"] },
    data: Buffer.from(JSON.stringify(body)),
    deliveryCount: 1,
    streamSequence: 1,
    receivedAt: performance.now(),
    storedAt: new Date("2025-01-01T00:00:00Z"),
    releaseSlot: () => undefined,
  };
}

function handlerWith(turns: EventLoopTurns, written: WriteRequest[]): ReturnType<typeof createDeliveryHandler> {
  return createDeliveryHandler({
    intake: { defaultNamespace: "soar", unmatchedMinSeverity: "info", dedupWindowMs: 60_000 },
    alerts: DEFAULT_ALERT_INTAKE_OPTIONS,
    matcher: NO_PLAYBOOKS,
    silencer: NO_SUPPRESSIONS,
    writer: {
      submit: (request) => {
        written.push(request);
        return Promise.resolve({ result: "created", name: request.target.baseName });
      },
    },
    metrics: createIntakeMetrics(new Registry()),
    logger: silentLogger,
    clock: new ManualClock(),
    turns,
  });
}

describe("createDeliveryHandler", () => {
  it("decodes, protects and matches an alert in three event-loop turns of their own", async () => {
    const turns = new EventLoopTurns();
    const next = vi.spyOn(turns, "next");
    const written: WriteRequest[] = [];
    const disposition = await handlerWith(turns, written)(delivery({ specversion: "1.0", id: "a-1", source: "//test", type: "com.example.test", subject: "pod-1", data: { password: "hunter2" } }));
    expect(disposition).toEqual({ action: "ack" });
    expect(next).toHaveBeenCalledTimes(3);
    expect(written[0]?.spec.event.data).toEqual({ password: "[REDACTED]" });
  });

  it("dead-letters an undecodable message after its decoding turn alone", async () => {
    const turns = new EventLoopTurns();
    const next = vi.spyOn(turns, "next");
    const disposition = await handlerWith(turns, [])(delivery({ specversion: "1.0" }));
    expect(disposition).toMatchObject({ action: "dead-letter" });
    expect(next).toHaveBeenCalledTimes(1);
  });
});

describe("createDeliveryHandler with suppressions", () => {
  const alert = { specversion: "1.0", id: "a-1", source: "//test", type: "com.example.test", subject: "pod-1", data: {} };
  const twoNamespaces: AlertMatcher = {
    // eslint-disable-next-line require-yield -- a fixed answer: nothing to pause between
    *matchSteps() {
      return [
        { namespace: "tenant", name: "pb", dedupKey: undefined, windowMs: undefined },
        { namespace: "soar", name: "pb", dedupKey: undefined, windowMs: undefined },
      ];
    },
  };

  function silencer(silenced: readonly string[], recorded: Silencing[]): AlertSilencer {
    const silencing: Silencing = { by: silenced.length === 0 ? [] : ["ns/sup"], silences: (namespace) => silenced.includes(namespace) };
    return {
      // eslint-disable-next-line require-yield -- a fixed answer: nothing to pause between
      *silenceSteps() {
        return silencing;
      },
      record: (_alert, decided) => {
        recorded.push(decided);
      },
    };
  }

  function handler(silence: AlertSilencer, written: WriteRequest[], fail = false): ReturnType<typeof createDeliveryHandler> {
    return createDeliveryHandler({
      intake: { defaultNamespace: "soar", unmatchedMinSeverity: "info", dedupWindowMs: 60_000 },
      alerts: DEFAULT_ALERT_INTAKE_OPTIONS,
      matcher: twoNamespaces,
      silencer: silence,
      writer: {
        submit: (request) => {
          if (fail) return Promise.reject(new Error("the API server is away"));
          written.push(request);
          return Promise.resolve({ result: "created", name: request.target.baseName });
        },
      },
      metrics: createIntakeMetrics(new Registry()),
      logger: silentLogger,
      clock: new ManualClock(),
      turns: new EventLoopTurns(),
    });
  }

  it("acknowledges an alert whose every Incident is silenced, writes nothing and counts it", async () => {
    const written: WriteRequest[] = [];
    const recorded: Silencing[] = [];
    expect(await handler(silencer(["tenant", "soar"], recorded), written)(delivery(alert))).toEqual({ action: "ack" });
    expect(written).toEqual([]);
    expect(recorded.map((silencing) => silencing.by)).toEqual([["ns/sup"]]);
  });

  it("writes the Incidents a suppression does not silence, and counts the alert once they are written", async () => {
    const written: WriteRequest[] = [];
    const recorded: Silencing[] = [];
    expect(await handler(silencer(["tenant"], recorded), written)(delivery(alert))).toEqual({ action: "ack" });
    expect(written.map((request) => request.target.namespace)).toEqual(["soar"]);
    expect(recorded).toHaveLength(1);
  });

  it("does not count an alert whose other Incidents failed to be written: its redelivery will be", async () => {
    const recorded: Silencing[] = [];
    expect(await handler(silencer(["tenant"], recorded), [], true)(delivery(alert))).toMatchObject({ action: "retry" });
    expect(recorded).toEqual([]);
  });
});
