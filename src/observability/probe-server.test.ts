import { afterEach, describe, expect, it } from "vitest";
import { startProbeServer, type ProbeServer } from "./probe-server.ts";

describe("probe server", () => {
  let server: ProbeServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("serves liveness, and readiness from its checks, without authentication", async () => {
    let cachesSynced = false;
    server = await startProbeServer({
      host: "127.0.0.1",
      port: 0,
      checks: [{ name: "informers-synced", ready: () => cachesSynced }, { name: "nats", ready: () => true }],
    });
    const base = `http://127.0.0.1:${String(server.port)}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/livez`)).text()).toBe("ok\n");

    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain("[-]informers-synced not ready");

    cachesSynced = true;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toContain("[+]nats ok");

    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("does not serve metrics, which have a listener of their own", async () => {
    server = await startProbeServer({ host: "127.0.0.1", port: 0, checks: [] });
    expect((await fetch(`http://127.0.0.1:${String(server.port)}/metrics`)).status).toBe(404);
  });
});
