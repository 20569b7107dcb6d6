import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificates, type ControlPlaneCertificates } from "../../hack/harness/certificates.ts";
import { closeApiClients, jsonClientFor, makeApiClient } from "./kube-api-client.ts";

/** An HTTPS server with a client-certificate-checking TLS setup, counting TLS sessions. */
interface CountingServer {
  url: string;
  handshakes: () => number;
  authorizations: string[];
  userAgents: string[];
  close: () => Promise<void>;
}

async function startServer(certs: ControlPlaneCertificates): Promise<CountingServer> {
  let handshakes = 0;
  const authorizations: string[] = [];
  const userAgents: string[] = [];
  const server = https.createServer(
    {
      cert: await readFile(certs.servingCert),
      key: await readFile(certs.servingKey),
      ca: await readFile(certs.caCert),
      requestCert: true,
      rejectUnauthorized: true,
      keepAliveTimeout: 30_000,
    },
    (request, response) => {
      authorizations.push(request.headers.authorization ?? "");
      userAgents.push(request.headers["user-agent"] ?? "");
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }));
    },
  );
  server.on("secureConnection", () => { handshakes++; });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${String(port)}`,
    handshakes: () => handshakes,
    authorizations,
    userAgents,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

async function kubeConfigFor(url: string, certs: ControlPlaneCertificates, token?: string): Promise<KubeConfig> {
  const base64 = async (path: string): Promise<string> => (await readFile(path)).toString("base64");
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "local", server: url, caData: await base64(certs.caCert), skipTLSVerify: false }],
    users: [{ name: "admin", certData: await base64(certs.adminCert), keyData: await base64(certs.adminKey), ...(token === undefined ? {} : { token }) }],
    contexts: [{ name: "local", cluster: "local", user: "admin" }],
    currentContext: "local",
  });
  return kubeConfig;
}

describe("makeApiClient", () => {
  let dir = "";
  let certs: ControlPlaneCertificates;
  let server: CountingServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kube-api-client-test-"));
    certs = await generateCertificates(join(dir, "certs"));
    server = await startServer(certs);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reuses one TLS connection for sequential calls of every client made from one KubeConfig", async () => {
    const kubeConfig = await kubeConfigFor(server.url, certs);
    const before = server.handshakes();
    const first = makeApiClient(kubeConfig, CoreV1Api);
    const second = makeApiClient(kubeConfig, CoreV1Api);
    for (let call = 0; call < 5; call++) {
      expect((await first.readNamespace({ name: "default" })).metadata?.name).toBe("default");
      expect((await second.readNamespace({ name: "default" })).metadata?.name).toBe("default");
    }
    // A request sent before the previous socket is released opens a second one; then they alternate.
    expect(server.handshakes() - before).toBeLessThanOrEqual(2);
    await closeApiClients(kubeConfig);
  });

  it("is needed: client-node's own clients pay a TLS handshake per call", async () => {
    const kubeConfig = await kubeConfigFor(server.url, certs);
    const before = server.handshakes();
    const api = kubeConfig.makeApiClient(CoreV1Api);
    for (let call = 0; call < 5; call++) await api.readNamespace({ name: "default" });
    expect(server.handshakes() - before).toBe(5);
  });

  it("sends the credentials client-node applies, with each request", async () => {
    const kubeConfig = await kubeConfigFor(server.url, certs, "secret-token");
    server.authorizations.length = 0;
    const api = makeApiClient(kubeConfig, CoreV1Api);
    await api.readNamespace({ name: "default" });
    await api.readNamespace({ name: "default" });
    expect(server.authorizations).toEqual(["Bearer secret-token", "Bearer secret-token"]);
    await closeApiClients(kubeConfig);
  });

  it("shares one kept-alive JSON client per KubeConfig, named kube-soar (the field manager of its writes)", async () => {
    const kubeConfig = await kubeConfigFor(server.url, certs);
    expect(jsonClientFor(kubeConfig)).toBe(jsonClientFor(kubeConfig));
    const before = server.handshakes();
    server.userAgents.length = 0;
    for (let call = 0; call < 6; call++) {
      expect(await jsonClientFor(kubeConfig).request("GET", "/api/v1/namespaces/default")).toMatchObject({ metadata: { name: "default" } });
    }
    expect(server.handshakes() - before).toBeLessThanOrEqual(2);
    await makeApiClient(kubeConfig, CoreV1Api).readNamespace({ name: "default" });
    expect(new Set(server.userAgents)).toEqual(new Set(["kube-soar"]));
    await closeApiClients(kubeConfig);
  });

  it("opens a new connection once the pooled ones are closed", async () => {
    const kubeConfig = await kubeConfigFor(server.url, certs);
    const api = makeApiClient(kubeConfig, CoreV1Api);
    await api.readNamespace({ name: "default" });
    await closeApiClients(kubeConfig);
    const before = server.handshakes();
    await makeApiClient(kubeConfig, CoreV1Api).readNamespace({ name: "default" });
    expect(server.handshakes() - before).toBe(1);
    await closeApiClients(kubeConfig);
  });
});
