import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import {
  AuthorizationV1Api,
  KubernetesObjectApi,
  V1SubjectAccessReview,
  V1SubjectAccessReviewSpec,
  type KubeConfig,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificates } from "../../hack/harness/certificates.ts";
import { applyOperatorRbac, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, serviceAccountConfig } from "../../hack/local/operator-identity.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { createMetricsRegistry } from "../../src/observability/metrics.ts";
import { startMetricsServer, type MetricsServer } from "../../src/observability/metrics-server.ts";
import { startProbeServer, type ProbeServer } from "../../src/observability/probe-server.ts";
import { CachedTokenAccess, METRICS_ACCESS_LIMITS } from "../../src/runtime/cached-token-access.ts";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { KubeJsonClient } from "../../src/runtime/kube-json-client.ts";
import { reviewTokenAccess } from "../../src/runtime/token-access-review.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

// The metrics listener as the operator runs it (--metrics-auth kubernetes, HTTPS), reviewing
// tokens with the operator's own ServiceAccount and the RBAC of config/rbac, against a real
// API server; scrapers are ServiceAccounts with tokens from the TokenRequest API.
const READER_ROLE = "kube-soar-metrics-reader";
const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
const suffix = randomBytes(3).toString("hex");
const readerBinding = `kube-soar-metrics-reader-${suffix}`;
let admin: KubeConfig;
let namespace: string;
let dir: string | undefined;
let ca: Buffer;
let readerToken: string;
let strangerToken: string;
const closers: (() => Promise<void> | void)[] = [];

function readerBindingManifest(): { apiVersion: string; kind: string; metadata: { name: string }; roleRef: object; subjects: object[] } {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: readerBinding },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: READER_ROLE },
    subjects: [{ kind: "ServiceAccount", name: "prometheus", namespace }],
  };
}

function tokenOf(config: KubeConfig): string {
  const token = config.getCurrentUser()?.token;
  if (token === undefined) throw new Error("the ServiceAccount kubeconfig carries no token");
  return token;
}

async function serviceAccountToken(name: string): Promise<string> {
  await KubernetesObjectApi.makeApiClient(admin).create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } });
  return tokenOf(await serviceAccountConfig(admin, namespace, name, 600));
}

/** The metrics listener reviewing tokens as the user of `reviewer`. */
async function metricsServer(reviewer: KubeConfig, certs: { cert: string; key: string }): Promise<MetricsServer> {
  const client = new KubeJsonClient(reviewer, { maxSockets: 4, timeoutMs: 10_000 });
  const access = new CachedTokenAccess({
    review: (token) => reviewTokenAccess(client, token, { path: "/metrics", verb: "get" }),
    clock: systemRuntimeClock,
    limits: METRICS_ACCESS_LIMITS,
    logger,
  });
  const registry = createMetricsRegistry({ defaultMetrics: true });
  const server = await startMetricsServer({
    host: "127.0.0.1",
    port: 0,
    registry,
    tls: { certFile: certs.cert, keyFile: certs.key },
    access: { decide: (token) => access.decide(token) },
    logger,
  });
  closers.push(() => server.close(), () => { client.close(); });
  return server;
}

function scrape(port: number, token?: string, path = "/metrics"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const call = request({ host: "127.0.0.1", port, path, ca, headers, timeout: 15_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => { resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }); });
      response.on("error", reject);
    });
    call.on("timeout", () => call.destroy(new Error(`GET ${path} timed out`)));
    call.on("error", reject);
    call.end();
  });
}

let metrics: MetricsServer;
let probes: ProbeServer;
let certs: { cert: string; key: string };

beforeAll(async () => {
  admin = loadKubeConfig();
  await applyOperatorRbac(admin);
  namespace = await createTestNamespace(admin, "metrics-auth");
  dir = await mkdtemp(join(tmpdir(), "kube-soar-metrics-"));
  const pki = await generateCertificates(dir);
  ca = await readFile(pki.caCert);
  certs = { cert: pki.servingCert, key: pki.servingKey };
  readerToken = await serviceAccountToken("prometheus");
  strangerToken = await serviceAccountToken("stranger");
  await KubernetesObjectApi.makeApiClient(admin).create(readerBindingManifest());
  // The binding takes effect once the authorizer's cache saw it; wait, so that no denial is cached.
  await waitFor(async () => {
    const review = new V1SubjectAccessReview();
    review.spec = Object.assign(new V1SubjectAccessReviewSpec(), {
      user: `system:serviceaccount:${namespace}:prometheus`,
      nonResourceAttributes: { path: "/metrics", verb: "get" },
    });
    return (await admin.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({ body: review })).status?.allowed === true;
  }, { timeoutMs: 30_000, intervalMs: 200, description: `${READER_ROLE} to be bound` });

  const operator = await serviceAccountConfig(admin, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, 600);
  metrics = await metricsServer(operator, certs);
  probes = await startProbeServer({ host: "127.0.0.1", port: 0, checks: [{ name: "intake", ready: () => true }] });
  closers.push(() => probes.close());
}, 120_000);

afterAll(async () => {
  for (const close of closers) await close();
  await KubernetesObjectApi.makeApiClient(admin).delete(readerBindingManifest()).catch(() => undefined);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("/metrics with --metrics-auth kubernetes, reviewed by the operator's ServiceAccount", () => {
  it("answers 401 without a token and to a token the API server does not accept", async () => {
    expect((await scrape(metrics.port)).status).toBe(401);
    expect((await scrape(metrics.port, `${readerToken.slice(0, -4)}AAAA`)).status).toBe(401);
  });

  it("answers 403 to a ServiceAccount without the metrics reader role", async () => {
    const answer = await scrape(metrics.port, strangerToken);
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain("# HELP");
  });

  it(`serves Prometheus text over HTTPS to a ServiceAccount bound to ${READER_ROLE}`, async () => {
    const answer = await scrape(metrics.port, readerToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^# HELP process_cpu_user_seconds_total /m);
  });

  it("answers 503, never 200, when the reviewer may not create TokenReviews", async () => {
    const reviewerWithoutRole = await serviceAccountConfig(admin, namespace, "stranger", 600);
    const server = await metricsServer(reviewerWithoutRole, certs);
    expect((await scrape(server.port, readerToken)).status).toBe(503);
  });
});

describe("probes on a listener of their own", () => {
  it("answer without authentication and do not serve /metrics", async () => {
    const base = `http://127.0.0.1:${String(probes.port)}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect(probes.port).not.toBe(metrics.port);
  });
});
