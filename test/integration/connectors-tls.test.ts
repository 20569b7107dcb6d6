import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { TLSSocket } from "node:tls";
import { promisify } from "node:util";
import { CoreV1Api, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { mergePatchOptions } from "../../src/actions/kube-calls.ts";
import { createConnectorCaller, type ConnectorCaller } from "../../src/connectors/call-connector.ts";
import type { ConnectorCallResult } from "../../src/connectors/connector-contract.ts";
import { createSecretResolver } from "../../src/connectors/secret-resolver.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";
import { messagePayload } from "../../src/testing/connector-payloads.ts";
import { loopbackDestinations } from "../../src/testing/loopback-destinations.ts";

const run = promisify(execFile);

/** A throwaway PKI made with openssl: two CAs, a server certificate for hooks.test only, a client certificate. */
async function makePki(dir: string): Promise<Record<"ca" | "otherCa" | "serverCert" | "serverKey" | "clientCert" | "clientKey", string>> {
  const file = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  for (const ca of ["ca", "other-ca"]) {
    await run("openssl", ["req", "-x509", ...ec, "-keyout", file(`${ca}.key`), "-out", file(`${ca}.crt`), "-days", "1", "-subj", `/CN=${ca}`]);
  }
  await writeFile(file("server.ext"), "subjectAltName=DNS:hooks.test\nextendedKeyUsage=serverAuth\n");
  await writeFile(file("client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const [name, subject] of [["server", "/CN=hooks.test"], ["client", "/CN=kube-soar"]] as const) {
    await run("openssl", ["req", "-new", ...ec, "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject]);
    await run("openssl", ["x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file(`${name}.crt`), "-days", "1", "-extfile", file(`${name}.ext`)]);
  }
  const read = (name: string): Promise<string> => readFile(file(name), "utf8");
  return {
    ca: await read("ca.crt"),
    otherCa: await read("other-ca.crt"),
    serverCert: await read("server.crt"),
    serverKey: await read("server.key"),
    clientCert: await read("client.crt"),
    clientKey: await read("client.key"),
  };
}

const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let pki: Awaited<ReturnType<typeof makePki>>;
let dir: string;
let server: https.Server;
let secureConnections = 0;
let url: string;
let kubeConfig: KubeConfig;
let core: CoreV1Api;
let namespace: string;
let caller: ConnectorCaller;

async function call(tls: ConnectorSpec["tls"]): Promise<ConnectorCallResult> {
  return caller.call({
    connector: { namespace, name: "mtls", spec: { type: "http", url, ...(tls === undefined ? {} : { tls }) } },
    secrets: createSecretResolver(core, namespace),
    payload: messagePayload("hello over TLS"),
    incident: { namespace, name: "inc-1" },
    idempotencyKey: "k",
    signal: new AbortController().signal,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kube-soar-tls-"));
  pki = await makePki(dir);
  server = https.createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: false }, (request, response) => {
    const socket = request.socket;
    const subject = socket instanceof TLSSocket && socket.authorized ? socket.getPeerCertificate().subject : undefined;
    request.resume();
    request.on("end", () => {
      if (subject === undefined) response.writeHead(401).end();
      else response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ client: subject.CN }));
    });
  });
  server.on("secureConnection", () => {
    secureConnections++;
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  kubeConfig = loadKubeConfig();
  core = kubeConfig.makeApiClient(CoreV1Api);
  namespace = await createTestNamespace(kubeConfig, "conn-tls");
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "hooks-ca", namespace }, stringData: { "ca.crt": pki.ca } });
  await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "client", namespace }, type: "kubernetes.io/tls", stringData: { "tls.crt": pki.clientCert, "tls.key": pki.clientKey } });
  await objects.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "client-opaque", namespace }, stringData: { "tls.crt": pki.clientCert, "tls.key": pki.clientKey } });
  caller = createConnectorCaller({ clock: systemRuntimeClock, logger, destinations: loopbackDestinations(namespace) });
});

afterAll(async () => {
  caller.close();
  server.closeAllConnections();
  server.close();
  await core.deleteNamespace({ name: namespace });
  await rm(dir, { recursive: true, force: true });
});

const trusted = { caSecretRef: { name: "hooks-ca", key: "ca.crt" }, serverName: "hooks.test" };

describe("connector TLS", () => {
  it("trusts the CA from a Secret, verifies serverName and presents the client certificate, over one kept-alive connection", async () => {
    secureConnections = 0;
    const mutual = { ...trusted, clientCertSecretRef: { name: "client" } };
    expect(await call(mutual)).toEqual({ ok: true, status: 200, attempts: 1, outputs: { status: "200", client: "kube-soar" } });
    expect(await call(mutual)).toMatchObject({ ok: true });
    expect(secureConnections).toBe(1);
  });

  it("sends no client certificate unless one is configured", async () => {
    expect(await call(trusted)).toMatchObject({ ok: false, reason: "UnexpectedStatus", status: 401 });
  });

  it.each<[string, ConnectorSpec["tls"], string]>([
    ["without the CA", { serverName: "hooks.test" }, "SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY"],
    ["for a name the certificate does not carry", { caSecretRef: { name: "hooks-ca", key: "ca.crt" } }, "ERR_TLS_CERT_ALTNAME_INVALID"],
  ])("refuses the server %s", async (_, tls, code) => {
    const result = await call(tls);
    expect(result).toMatchObject({ ok: false, reason: "TLSError", retryable: false });
    expect(!result.ok && result.message).toMatch(new RegExp(`^connector ${namespace}/mtls: TLS handshake failed \\((${code})\\)$`));
  });

  it("refuses a client certificate Secret that is not of type kubernetes.io/tls", async () => {
    expect(await call({ ...trusted, clientCertSecretRef: { name: "client-opaque" } })).toMatchObject({
      ok: false,
      reason: "InvalidSpec",
      message: "spec.tls.clientCertSecretRef: Secret client-opaque has type Opaque, not kubernetes.io/tls",
    });
  });

  it("reads the CA again on every call: a rotated CA takes effect at once", async () => {
    expect(await call(trusted)).toMatchObject({ status: 401 });
    await core.patchNamespacedSecret({ name: "hooks-ca", namespace, body: { stringData: { "ca.crt": pki.otherCa } } }, mergePatchOptions);
    expect(await call(trusted)).toMatchObject({ ok: false, reason: "TLSError" });
  });
});
