import { KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from "vitest";
import { startControlPlane, type ControlPlane } from "../../hack/harness/control-plane.ts";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { listIncidents, metricValue, natsClient, post, publish, RECEIVER_AUTH, startTestIntake, testOptions, type TestIntake } from "./intake-helpers.ts";

const structured = { "content-type": "application/cloudevents+json" };

function event(id: string, subject: string): Buffer {
  return Buffer.from(JSON.stringify({ specversion: "1.0", id, source: "//resilience.test", type: "com.example.resilience", subject, severity: "high", data: { id } }));
}

async function occurrencesBySubject(kubeConfig: KubeConfig, namespace: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const incident of await listIncidents(kubeConfig, namespace)) {
    counts.set(incident.spec.event?.subject ?? "", incident.status?.occurrences ?? 0);
  }
  return counts;
}

async function redeliveries(connection: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(connection);
  return (await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake")).num_redelivered;
}

describe("intake survives its dependencies restarting", () => {
  let controlPlane: ControlPlane;
  let kubeConfig: KubeConfig;
  let nats: RunningNats;
  let connection: NatsConnection;
  let intake: TestIntake;
  let namespace: string;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ profile: "integration", binDir: inject("binDir") });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(controlPlane.kubeconfigPath);
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "intake-resilience");
    nats = await startNats({ binDir: inject("binDir") });
    connection = await natsClient(nats.url);
    intake = await startTestIntake(
      kubeConfig,
      testOptions({ natsUrl: nats.url, defaultNamespace: namespace, nats: { backoffMs: [200, 500, 1_000], maxDeliver: 200 } }),
      (condition, description) => waitFor(condition, { timeoutMs: 30_000, description }),
    );
  });

  afterAll(async () => {
    await intake.handle.stop();
    await connection.close();
    await nats.stop();
    await controlPlane.stop();
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error(intake.logs.tail(120));
    });
  });

  it("loses nothing while the API server is stopped for 10 s", async () => {
    for (let index = 0; index < 5; index++) await publish(connection, "soar.events.resilience", event(`pre-${String(index)}`, "apiserver"), structured);
    await waitFor(async () => (await occurrencesBySubject(kubeConfig, namespace)).get("apiserver") === 5, { timeoutMs: 20_000, description: "5 occurrences before the outage" });

    await controlPlane.stopApiServer();
    const stoppedAt = Date.now();
    const redeliveredBefore = await redeliveries(connection);
    for (let index = 0; index < 20; index++) await publish(connection, "soar.events.resilience", event(`down-${String(index)}`, "apiserver"), structured);
    for (let index = 0; index < 10; index++) await publish(connection, "soar.events.resilience", event(`new-${String(index)}`, `during-outage-${String(index)}`), structured);
    // Keep the API server down for 10 s while intake keeps failing and retrying the deliveries.
    await waitFor(async () => Date.now() - stoppedAt >= 10_000 && (await redeliveries(connection)) > redeliveredBefore, {
      timeoutMs: 30_000,
      intervalMs: 500,
      description: "10 s of outage with deliveries retried",
    });
    await controlPlane.startApiServer();

    await waitFor(
      async () => {
        const counts = await occurrencesBySubject(kubeConfig, namespace);
        if (counts.get("apiserver") !== 25) return false;
        return Array.from({ length: 10 }, (_, index) => counts.get(`during-outage-${String(index)}`)).every((count) => count === 1);
      },
      { timeoutMs: 60_000, intervalMs: 500, description: "every alert of the outage recorded exactly once" },
    );
    expect(await metricValue(intake.registry, "soar_intake_dead_lettered_total")).toBe(0);
  });

  it("resumes consuming after NATS restarts", async () => {
    await publish(connection, "soar.events.resilience", event("nats-1", "nats-restart"), structured);
    await waitFor(async () => (await occurrencesBySubject(kubeConfig, namespace)).get("nats-restart") === 1, { timeoutMs: 20_000, description: "first event" });
    await nats.restart();
    await waitFor(() => intake.handle.ready(), { timeoutMs: 30_000, description: "intake ready again after the NATS restart" });
    for (let index = 2; index <= 6; index++) await publish(connection, "soar.events.resilience", event(`nats-${String(index)}`, "nats-restart"), structured);
    const response = await waitFor(
      async () => {
        const attempt = await post(intake.receiverUrl, "/events", event("nats-http", "nats-restart"), { ...RECEIVER_AUTH, ...structured });
        return attempt.status === 202 ? attempt : undefined;
      },
      { timeoutMs: 30_000, description: "the receiver storing events again" },
    );
    expect(response.status).toBe(202);
    await waitFor(async () => (await occurrencesBySubject(kubeConfig, namespace)).get("nats-restart") === 7, {
      timeoutMs: 30_000,
      description: "every event after the restart recorded",
    });
  });
});
