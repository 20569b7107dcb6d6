import type { KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from "vitest";
import { startControlPlane, type ControlPlane } from "../../hack/harness/control-plane.ts";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { listIncidents, metricValue, natsClient, post, publish, RECEIVER_AUTH, startTestIntake, testOptions, type TestIntake } from "./intake-helpers.ts";

/** Alerts of about 300 KB: the byte bound, not the count bound, is what stops the pulling. */
const ALERT_BYTES = 300 * 1024;
const ALERTS = 24;
const MAX_INFLIGHT = { count: 16, bytes: 2 * 1024 * 1024 };

function largeAlert(index: number): Uint8Array {
  return Buffer.from(JSON.stringify({
    specversion: "1.0",
    id: `backpressure-${String(index)}`,
    source: "//integration.kube-soar.io/backpressure",
    type: "com.example.backpressure",
    subject: `pod-${String(index)}`,
    severity: "high",
    data: { index, filler: "x".repeat(ALERT_BYTES) },
  }));
}

/**
 * This file pauses (SIGSTOP) the kube-apiserver, so it runs its own control plane: the shared one
 * serves the other files running in parallel.
 */
describe("intake under a stalled API server", () => {
  let controlPlane: ControlPlane | undefined;
  let kubeConfig: KubeConfig;
  let namespace: string;
  let nats: RunningNats | undefined;
  let connection: NatsConnection | undefined;
  let intake: TestIntake | undefined;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ profile: "integration", binDir: inject("binDir") });
    kubeConfig = loadKubeConfig(controlPlane.kubeconfigPath);
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "backpressure");
    nats = await startNats({ binDir: inject("binDir") });
    connection = await natsClient(nats.url);
    const options = testOptions({ natsUrl: nats.url, defaultNamespace: namespace, nats: { maxInflight: MAX_INFLIGHT, concurrency: 4 } });
    intake = await startTestIntake(kubeConfig, options, (condition, description) => waitFor(condition, { timeoutMs: 30_000, description }), (logs) => {
      console.error(logs.tail());
    });
  });

  afterAll(async () => {
    controlPlane?.resumeApiServer();
    await intake?.handle.stop();
    await connection?.close();
    await nats?.stop();
    await controlPlane?.stop();
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error(intake?.logs.tail() ?? "intake did not start");
    });
  });

  it("stops pulling within its in-flight bound while writes stall, keeps taking HTTP alerts into the stream, and writes every alert once the API server answers again", async () => {
    const plane = controlPlane;
    const running = intake;
    if (plane === undefined || running === undefined || connection === undefined) throw new Error("the suite did not start");
    const client = connection;
    const jsm = await jetstreamManager(client);
    const consumer = await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake");
    expect(consumer.config.max_ack_pending).toBe(MAX_INFLIGHT.count);

    const inflight = async (): Promise<{ count: number; bytes: number }> => ({
      count: await metricValue(running.registry, "soar_intake_inflight", { transport: "nats" }),
      bytes: await metricValue(running.registry, "soar_intake_inflight_bytes", { transport: "nats" }),
    });
    let peak = { count: 0, bytes: 0 };
    plane.pauseApiServer();
    try {
      for (let index = 0; index < ALERTS; index++) {
        await publish(client, `soar.events.backpressure.${String(index)}`, largeAlert(index), { "content-type": "application/cloudevents+json" });
      }
      const byHttp = await post(running.receiverUrl, "/events", largeAlert(ALERTS), { ...RECEIVER_AUTH, "content-type": "application/cloudevents+json" });
      expect(byHttp.status).toBe(202);
      await waitFor(async () => (await inflight()).count > 0, { timeoutMs: 10_000, description: "intake to pull some alerts" });
      // Long enough for an unbounded consumer to have pulled everything several times over.
      const until = Date.now() + 4_000;
      let info = await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake");
      while (Date.now() < until) {
        const now = await inflight();
        peak = { count: Math.max(peak.count, now.count), bytes: Math.max(peak.bytes, now.bytes) };
        info = await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake");
        expect(info.num_ack_pending).toBeLessThanOrEqual(MAX_INFLIGHT.count);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(peak.bytes).toBeLessThanOrEqual(MAX_INFLIGHT.bytes);
      expect(peak.count).toBeLessThanOrEqual(MAX_INFLIGHT.count);
      // The byte bound holds a few of these alerts; the rest wait in the stream, unpulled.
      expect(peak.count).toBeLessThan(ALERTS);
      expect(info.num_pending).toBeGreaterThanOrEqual(ALERTS + 1 - Math.floor(MAX_INFLIGHT.bytes / ALERT_BYTES));
    } finally {
      plane.resumeApiServer();
    }

    await waitFor(async () => (await listIncidents(kubeConfig, namespace)).length === ALERTS + 1, {
      timeoutMs: 150_000,
      intervalMs: 500,
      description: `${String(ALERTS + 1)} Incidents after the API server resumed`,
    });
    await waitFor(async () => {
      const info = await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake");
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, { timeoutMs: 30_000, description: "every delivery acknowledged" });
    expect(await inflight()).toEqual({ count: 0, bytes: 0 });
    const subjects = new Set((await listIncidents(kubeConfig, namespace)).map((incident) => incident.spec.event?.subject));
    for (let index = 0; index <= ALERTS; index++) expect(subjects.has(`pod-${String(index)}`)).toBe(true);
  }, 240_000);
});
