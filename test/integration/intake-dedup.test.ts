import { Watch, type KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { Registry } from "prom-client";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { IncidentWriter } from "../../src/ingest/write/incident-writer.ts";
import { KubeJsonClient } from "../../src/runtime/kube-json-client.ts";
import { KubeIncidentStore } from "../../src/ingest/write/incident-writer-store.ts";
import { eventHash } from "../../src/ingest/identity/event-hash.ts";
import { NO_PLAYBOOKS, NO_SUPPRESSIONS } from "../../src/testing/ingest.ts";
import { createIntakeMetrics } from "../../src/ingest/intake-metrics.ts";
import { createDeliveryHandler } from "../../src/ingest/intake-pipeline.ts";
import { alertOptionsFor } from "../../src/ingest/intake-start.ts";
import { connectNats, type NatsLink } from "../../src/runtime/nats-connection.ts";
import type { DeliveryHandler } from "../../src/ingest/transport/delivery.ts";
import { JetStreamSource } from "../../src/ingest/transport/nats-consumer.ts";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { EventLoopTurns } from "../../src/runtime/event-loop-turns.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import {
  getIncident,
  listIncidents,
  LogCapture,
  metricValue,
  natsClient,
  post,
  publish,
  RECEIVER_AUTH,
  setIncidentState,
  startTestIntake,
  testOptions,
  useIntakeSuite,
  type TestIntake,
} from "./intake-helpers.ts";

const SOURCE = "//scanner.example.com/dedup-test";
const TYPE = "com.example.dedup.tested";

/** A structured CloudEvent; events with the same subject share a fingerprint. */
function cloudEvent(id: string, subject: string, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({ specversion: "1.0", id, source: SOURCE, type: TYPE, subject, severity: "high", data: { n: id }, ...extra }),
  );
}

const structured = { "content-type": "application/cloudevents+json" };

async function incidentBySubject(kubeConfig: KubeConfig, namespace: string, subject: string): Promise<Incident | undefined> {
  return (await listIncidents(kubeConfig, namespace)).find((incident) => incident.spec.event?.subject === subject);
}

async function streamDrained(connection: NatsConnection, stream: string, durable: string): Promise<boolean> {
  const jsm = await jetstreamManager(connection);
  const info = await jsm.consumers.info(stream, durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe("deduplication with one intake", () => {
  let namespace = "";
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-dedup");
    return testOptions({ natsUrl, defaultNamespace: namespace, intake: { foldIntervalMs: 250 } });
  });

  it("folds distinct events of one alert into one Incident, counting each exactly once", async () => {
    const before = await metricValue(suite.intake.registry, "soar_intake_duplicates_folded_total");
    const count = 60;
    for (let index = 0; index < count; index++) await publish(suite.connection, "soar.events.dedup", cloudEvent(`fold-${String(index)}`, "fold"), structured);
    const incident = await waitFor(
      async () => {
        const found = await incidentBySubject(suite.kubeConfig, namespace, "fold");
        return found?.status?.occurrences === count ? found : undefined;
      },
      { timeoutMs: 30_000, description: `${String(count)} occurrences` },
    );
    await waitFor(() => streamDrained(suite.connection, "SOAR_EVENTS", "kube-soar-intake"), { timeoutMs: 10_000, description: "every delivery acknowledged" });
    expect((await getIncident(suite.kubeConfig, namespace, incident.metadata.name ?? ""))?.status?.occurrences).toBe(count);
    expect(await metricValue(suite.intake.registry, "soar_intake_duplicates_folded_total")).toBe(before + count - 1);
    expect(incident.status?.recentEvents).toHaveLength(count);
  });

  it("counts one event published many times (same source and id) once", async () => {
    for (let index = 0; index < 8; index++) await publish(suite.connection, "soar.events.dedup", cloudEvent("same-id", "repeat"), structured);
    await waitFor(() => streamDrained(suite.connection, "SOAR_EVENTS", "kube-soar-intake"), { timeoutMs: 15_000, description: "every delivery acknowledged" });
    const incident = await incidentBySubject(suite.kubeConfig, namespace, "repeat");
    expect(incident?.status?.occurrences).toBe(1);
    expect(incident?.status?.recentEvents).toEqual([eventHash(SOURCE, "same-id")]);
  });

  it("coalesces a burst of duplicates into fewer status writes than events", async () => {
    const count = 300;
    await publish(suite.connection, "soar.events.dedup", cloudEvent("burst-first", "burst"), structured);
    const first = await waitFor(() => incidentBySubject(suite.kubeConfig, namespace, "burst"), { timeoutMs: 15_000, description: "the burst Incident" });
    let writes = 0;
    const watch = await new Watch(suite.kubeConfig).watch(
      `/apis/soar.kube-soar.io/v1alpha1/namespaces/${namespace}/incidents`,
      { fieldSelector: `metadata.name=${first.metadata.name ?? ""}`, resourceVersion: first.metadata.resourceVersion },
      (phase) => {
        if (phase === "MODIFIED") writes++;
      },
      () => undefined,
    );
    try {
      await Promise.all(Array.from({ length: count }, (_, index) => publish(suite.connection, "soar.events.dedup", cloudEvent(`burst-${String(index)}`, "burst"), structured)));
      await waitFor(async () => (await incidentBySubject(suite.kubeConfig, namespace, "burst"))?.status?.occurrences === count + 1, {
        timeoutMs: 30_000,
        description: `${String(count + 1)} occurrences`,
      });
    } finally {
      watch.abort();
    }
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(count / 2);
  });

  it("opens a new Incident after the open one is resolved, and keeps redeliveries with the old one", async () => {
    await publish(suite.connection, "soar.events.dedup", cloudEvent("life-1", "lifecycle"), structured);
    const first = await waitFor(() => incidentBySubject(suite.kubeConfig, namespace, "lifecycle"), { timeoutMs: 15_000, description: "first Incident" });
    const name = first.metadata.name ?? "";
    await waitFor(async () => (await getIncident(suite.kubeConfig, namespace, name))?.status?.occurrences === 1, { timeoutMs: 15_000, description: "first occurrence" });
    await setIncidentState(suite.kubeConfig, namespace, name, "Resolved");
    await publish(suite.connection, "soar.events.dedup", cloudEvent("life-2", "lifecycle"), structured);
    const second = await waitFor(() => getIncident(suite.kubeConfig, namespace, `${name}-2`), { timeoutMs: 15_000, description: `Incident ${name}-2` });
    expect(second.spec.fingerprint).toBe(first.spec.fingerprint);
    // A redelivery of the event the resolved Incident counted is not counted anywhere again.
    await publish(suite.connection, "soar.events.dedup", cloudEvent("life-1", "lifecycle"), structured);
    await publish(suite.connection, "soar.events.dedup", cloudEvent("life-3", "lifecycle"), structured);
    await waitFor(async () => (await getIncident(suite.kubeConfig, namespace, `${name}-2`))?.status?.occurrences === 2, { timeoutMs: 15_000, description: "second Incident counts life-2 and life-3" });
    await waitFor(() => streamDrained(suite.connection, "SOAR_EVENTS", "kube-soar-intake"), { timeoutMs: 10_000, description: "every delivery acknowledged" });
    expect((await getIncident(suite.kubeConfig, namespace, name))?.status?.occurrences).toBe(1);
    expect((await getIncident(suite.kubeConfig, namespace, `${name}-2`))?.status?.occurrences).toBe(2);
    expect(await getIncident(suite.kubeConfig, namespace, `${name}-3`)).toBeUndefined();
  });

  it("opens no Incident for a resolved Alertmanager alert that has no open one", async () => {
    const webhook = {
      version: "4",
      status: "resolved",
      receiver: "kube-soar",
      externalURL: "http://alertmanager.dedup:9093",
      alerts: [
        {
          status: "resolved",
          labels: { alertname: "NeverFired", namespace: "dedup", severity: "critical" },
          annotations: {},
          startsAt: "2026-11-24T09:12:30.512Z",
          endsAt: "2026-11-24T09:41:00.000Z",
          fingerprint: "00000000deadbeef",
        },
      ],
    };
    const response = await post(suite.intake.receiverUrl, "/alertmanager", JSON.stringify(webhook), { ...RECEIVER_AUTH, "content-type": "application/json" });
    expect(response.status).toBe(202);
    await waitFor(() => streamDrained(suite.connection, "SOAR_EVENTS", "kube-soar-intake"), { timeoutMs: 10_000, description: "the resolved alert handled" });
    const incidents = await listIncidents(suite.kubeConfig, namespace);
    expect(incidents.filter((incident) => incident.spec.title.startsWith("NeverFired"))).toEqual([]);
  });
});

describe("redelivery after a crash between the write and the ack", () => {
  let kubeConfig: KubeConfig;
  let nats: RunningNats;
  let link: NatsLink;
  let namespace: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    kubeConfig = loadKubeConfig();
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "intake-crash");
    nats = await startNats({ binDir: inject("binDir") });
    link = await connectNats({ servers: [nats.url] }, logs.logger, { name: "crash-test" });
  });

  afterAll(async () => {
    await link.close();
    await nats.stop();
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error(logs.tail());
    });
  });

  it("does not count the redelivered event twice", async () => {
    const options = testOptions({ natsUrl: nats.url, defaultNamespace: namespace, nats: { ackWaitMs: 1_000 } });
    const registry = new Registry();
    const metrics = createIntakeMetrics(registry);
    const writer = new IncidentWriter({ store: new KubeIncidentStore(new KubeJsonClient(kubeConfig, { maxSockets: 4 })), clock: systemRuntimeClock, logger: logs.logger, metrics, foldIntervalMs: 50, concurrency: 4 });
    const pipeline = createDeliveryHandler({
      intake: options.intake,
      alerts: alertOptionsFor(options),
      matcher: NO_PLAYBOOKS,
      silencer: NO_SUPPRESSIONS,
      writer,
      metrics,
      logger: logs.logger,
      clock: systemRuntimeClock,
      turns: new EventLoopTurns(),
    });
    let written = 0;
    // The first process writes the Incident, then dies before acknowledging.
    const crashing: DeliveryHandler = async (delivery) => {
      await pipeline(delivery);
      written++;
      return new Promise(() => undefined);
    };
    const first = new JetStreamSource({ link, nats: options.nats, handle: crashing, logger: logs.logger, metrics });
    first.start();
    await waitFor(() => first.ready(), { timeoutMs: 20_000, description: "the first consumer attached" });
    await publish(link.connection, "soar.events.crash", cloudEvent("crash-1", "crash"), structured);
    await waitFor(() => written === 1, { timeoutMs: 20_000, description: "the first delivery written" });
    await first.stop(0);
    const incident = await incidentBySubject(kubeConfig, namespace, "crash");
    expect(incident?.status?.occurrences).toBe(1);

    let redelivered = 0;
    const second = new JetStreamSource({
      link,
      nats: options.nats,
      handle: async (delivery) => {
        if (delivery.deliveryCount > 1) redelivered++;
        return pipeline(delivery);
      },
      logger: logs.logger,
      metrics,
    });
    second.start();
    try {
      await waitFor(() => redelivered >= 1, { timeoutMs: 20_000, description: "the unacknowledged event redelivered" });
      await waitFor(() => streamDrained(link.connection, "SOAR_EVENTS", "kube-soar-intake"), { timeoutMs: 10_000, description: "the redelivery acknowledged" });
    } finally {
      await second.stop();
    }
    const after = await getIncident(kubeConfig, namespace, incident?.metadata.name ?? "");
    expect(after?.status?.occurrences).toBe(1);
    expect(after?.status?.recentEvents).toEqual([eventHash(SOURCE, "crash-1")]);
  });
});

describe("two replicas on the same durable consumer", () => {
  let kubeConfig: KubeConfig;
  let nats: RunningNats;
  let connection: NatsConnection;
  let replicas: TestIntake[] = [];
  let namespace: string;

  beforeAll(async () => {
    kubeConfig = loadKubeConfig();
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "intake-replicas");
    nats = await startNats({ binDir: inject("binDir") });
    connection = await natsClient(nats.url);
    const options = testOptions({ natsUrl: nats.url, defaultNamespace: namespace, intake: { foldIntervalMs: 50 } });
    const ready = (condition: () => boolean, description: string): Promise<unknown> => waitFor(condition, { timeoutMs: 30_000, description });
    replicas = [await startTestIntake(kubeConfig, options, ready), await startTestIntake(kubeConfig, options, ready)];
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.handle.stop();
    await connection.close();
    await nats.stop();
  });

  beforeEach(() => {
    onTestFailed(() => {
      for (const replica of replicas) console.error(replica.logs.tail(40));
    });
  });

  it("consume without losing or double-counting an event", async () => {
    const duplicates = 120;
    const unique = 40;
    const sends: Promise<void>[] = [];
    for (let index = 0; index < duplicates; index++) sends.push(publish(connection, "soar.events.replicas", cloudEvent(`shared-${String(index)}`, "shared"), structured));
    for (let index = 0; index < unique; index++) sends.push(publish(connection, "soar.events.replicas", cloudEvent(`unique-${String(index)}`, `unique-${String(index)}`), structured));
    await Promise.all(sends);
    await waitFor(() => streamDrained(connection, "SOAR_EVENTS", "kube-soar-intake"), { timeoutMs: 60_000, description: "every delivery acknowledged" });
    const incidents = await listIncidents(kubeConfig, namespace);
    const shared = incidents.filter((incident) => incident.spec.event?.subject === "shared");
    expect(shared).toHaveLength(1);
    expect(shared[0]?.status?.occurrences).toBe(duplicates);
    const others = incidents.filter((incident) => incident.spec.event?.subject?.startsWith("unique-") === true);
    expect(others).toHaveLength(unique);
    expect(others.every((incident) => incident.status?.occurrences === 1)).toBe(true);
    const handled = await Promise.all(replicas.map((replica) => metricValue(replica.registry, "soar_intake_events_received_total")));
    expect(handled.reduce((sum, value) => sum + value, 0)).toBeGreaterThanOrEqual(duplicates + unique);
  });
});
