import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from "vitest";
import { generateCertificates } from "../../hack/harness/certificates.ts";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { listIncidents, startTestIntake, testOptions, type TestIntake } from "./intake-helpers.ts";

function event(id: string): string {
  return JSON.stringify({ specversion: "1.0", id, source: "//receiver.test", type: "com.example.receiver", subject: id, severity: "high", data: {} });
}

/** POSTs over HTTPS, trusting only `ca`. */
function postTls(port: number, ca: Buffer, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: "127.0.0.1", port, path: "/events", method: "POST", ca, headers: { "content-type": "application/cloudevents+json", authorization: `Bearer ${token}` } },
      (response) => {
        response.resume();
        response.on("end", () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

describe("the HTTP receiver over TLS with a token file that changes", () => {
  let kubeConfig: KubeConfig;
  let nats: RunningNats;
  let intake: TestIntake;
  let namespace: string;
  let dir: string;
  let tokenFile: string;
  let ca: Buffer;
  let port: number;

  beforeAll(async () => {
    kubeConfig = loadKubeConfig();
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "intake-receiver-tls");
    dir = mkdtempSync(join(tmpdir(), "soar-receiver-tls-"));
    const certificates = await generateCertificates(dir);
    ca = readFileSync(certificates.caCert);
    tokenFile = join(dir, "tokens");
    writeFileSync(tokenFile, "first-token\n");
    nats = await startNats({ binDir: inject("binDir") });
    intake = await startTestIntake(
      kubeConfig,
      testOptions({
        natsUrl: nats.url,
        defaultNamespace: namespace,
        receiver: { tokenFile, tls: { certFile: certificates.servingCert, keyFile: certificates.servingKey } },
      }),
      (condition, description) => waitFor(condition, { timeoutMs: 30_000, description }),
    );
    port = intake.handle.receiverAddress()?.port ?? 0;
  });

  afterAll(async () => {
    await intake.handle.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error(intake.logs.tail());
    });
  });

  it("accepts an event over TLS and stores it", async () => {
    expect(await postTls(port, ca, "first-token", event("tls-1"))).toBe(202);
    await waitFor(async () => (await listIncidents(kubeConfig, namespace)).some((incident) => incident.spec.event?.subject === "tls-1"), {
      timeoutMs: 20_000,
      description: "the Incident of the event sent over TLS",
    });
  });

  it("refuses plain HTTP on the TLS port", async () => {
    await expect(fetch(`http://127.0.0.1:${String(port)}/healthz`)).rejects.toThrow();
  });

  it("picks up a rotated token file without a restart", async () => {
    writeFileSync(tokenFile, "# rotated\nsecond-token-after-rotation\n");
    await waitFor(async () => (await postTls(port, ca, "second-token-after-rotation", event("tls-2"))) === 202, {
      timeoutMs: 15_000,
      description: "the rotated token accepted",
    });
    expect(await postTls(port, ca, "first-token", event("tls-3"))).toBe(401);
  });
});
