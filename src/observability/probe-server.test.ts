import { Counter } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { createMetricsRegistry } from "./metrics.ts";
import { startProbeServer, type ProbeServer } from "./probe-server.ts";

describe("probe server", () => {
  let server: ProbeServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("serves metrics from the one registry, liveness, and readiness from its checks", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    new Counter({ name: "soar_test_total", help: "a test counter", registers: [registry] }).inc(3);
    let cachesSynced = false;
    server = await startProbeServer({
      host: "127.0.0.1",
      port: 0,
      registry,
      checks: [{ name: "informers-synced", ready: () => cachesSynced }, { name: "nats", ready: () => true }],
    });
    const base = `http://127.0.0.1:${server.port}`;

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("soar_test_total 3");

    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain("[-]informers-synced not ready");

    cachesSynced = true;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toContain("[+]nats ok");

    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
  });
});
