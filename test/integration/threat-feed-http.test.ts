import { gzipSync } from "node:zlib";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThreatFeedHTTP } from "../../src/api/v1alpha1/types.generated.ts";
import { loopbackDestinations } from "../../src/testing/loopback-destinations.ts";
import { ManualClock } from "../../src/testing/manual-clock.ts";
import { metricValue } from "../../src/testing/metrics.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { deleteNamespace, FeedObjects, makeFeedPki, startFeedOperator, startFeedServer, type FeedOperator, type FeedServer } from "./threat-feed-helpers.ts";

// ThreatFeeds fetched from a local HTTPS server whose certificate a test CA signed, by a replica's
// loader whose refreshes run on a manual clock (the test moves time), against the real API server.
const TOKEN = "Bearer s3cret-feed-token";
let kubeConfig: KubeConfig;
let namespace: string;
let server: FeedServer;
let clock: ManualClock;
let operator: FeedOperator;
let objects: FeedObjects;

function matches(value: string): number {
  return operator.store.match(value, { namespace, now: clock.now().getTime() }).length;
}

function requestsTo(path: string): { conditional: boolean; authorization: unknown }[] {
  return server.requests.filter((request) => request.path === path).map((request) => ({ conditional: request.headers["if-none-match"] !== undefined, authorization: request.headers.authorization }));
}

function http(path: string, extra: Partial<ThreatFeedHTTP> = {}): ThreatFeedHTTP {
  return { url: `${server.origin}${path}`, caSecretRef: { name: "feeds-ca", key: "ca.crt" }, serverName: "feeds.test", refreshInterval: "1m", ...extra };
}

async function explain<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- requests ---\n${JSON.stringify(server.requests.map((request) => request.path))}\n--- operator log (tail) ---\n${operator.logs.slice(-30).join("\n")}`, { cause: error });
  }
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  await ensureCrds(kubeConfig);
  const pki = await makeFeedPki();
  server = await startFeedServer(pki);
  namespace = await createTestNamespace(kubeConfig, "tf-http");
  objects = new FeedObjects(kubeConfig, namespace);
  await objects.putSecret("feeds-ca", { "ca.crt": pki.ca });
  await objects.putSecret("other-ca", { "ca.crt": pki.otherCa });
  await objects.putSecret("feed-token", { value: `${TOKEN}\n` });
  clock = new ManualClock(new Date());
  operator = await startFeedOperator(kubeConfig, { namespaces: [namespace], operatorNamespace: namespace, destinations: loopbackDestinations(namespace), clock });
});

afterAll(async () => {
  await operator.stop();
  await server.close();
  await deleteNamespace(kubeConfig, namespace);
});

describe("a ThreatFeed fetched over HTTPS", () => {
  it("trusts the CA from a Secret, sends the auth header, and refreshes with conditional requests: a 304 keeps the index and counts as a refresh", async () => {
    server.feeds.set("/ips.txt", { body: "203.0.113.50\n", etag: '"v1"' });
    await objects.createFeed("ips", { http: http("/ips.txt", { authHeader: { name: "Authorization", secretRef: { name: "feed-token", key: "value" } } }) });
    const first = await explain(() => objects.waitForStatus("ips", "Loaded", (feed) => FeedObjects.readiness(feed)?.reason === "Loaded"));
    expect(matches("203.0.113.50")).toBe(1);
    expect(requestsTo("/ips.txt")).toEqual([{ conditional: false, authorization: TOKEN }]);

    clock.advance(60_000);
    const refreshed = await explain(() =>
      objects.waitForStatus("ips", "a refresh confirmed by a 304", (feed) => feed.status?.lastRefreshTime !== first.status?.lastRefreshTime && FeedObjects.readiness(feed)?.reason === "Loaded"),
    );
    expect(requestsTo("/ips.txt")).toEqual([
      { conditional: false, authorization: TOKEN },
      { conditional: true, authorization: TOKEN },
    ]);
    expect(server.requests.at(-1)?.headers["if-none-match"]).toBe('"v1"');
    expect(FeedObjects.readiness(refreshed)?.message).toBe("1 indicator in use, unchanged at the server since the last load");
    expect(refreshed.status?.indicators?.total).toBe(1);
    expect(matches("203.0.113.50")).toBe(1);

    // Neither the auth header's value nor the CA is written anywhere.
    expect(JSON.stringify(refreshed)).not.toContain("s3cret");
    expect(operator.logs.join("\n")).not.toContain("s3cret");
  });

  it("replaces the index when a refresh brings a new body", async () => {
    server.feeds.set("/changing.txt", { body: "198.51.100.61\n", etag: '"a"' });
    await objects.createFeed("changing", { http: http("/changing.txt") });
    await explain(() => waitFor(() => matches("198.51.100.61") === 1, { timeoutMs: 30_000, description: "the first body to load" }));

    server.feeds.set("/changing.txt", { body: "198.51.100.62\n198.51.100.63\n", etag: '"b"' });
    clock.advance(60_000);
    await explain(() => waitFor(() => matches("198.51.100.62") === 1 && matches("198.51.100.61") === 0, { timeoutMs: 30_000, description: "the refresh to replace the index" }));
    const feed = await objects.waitForStatus("changing", "two indicators", (candidate) => candidate.status?.indicators?.total === 2);
    expect(FeedObjects.readiness(feed)?.reason).toBe("Loaded");
  });

  it("decodes a gzip body, and refuses one over the size cap while reading it, keeping the previous index", async () => {
    server.feeds.set("/capped.txt", { body: gzipSync("192.0.2.77\n"), contentEncoding: "gzip", etag: '"small"' });
    await objects.createFeed("capped", { http: http("/capped.txt", { maxBytes: 1024 }) });
    const loaded = await explain(() => objects.waitForStatus("capped", "Loaded", (feed) => FeedObjects.readiness(feed)?.reason === "Loaded"));
    expect(matches("192.0.2.77")).toBe(1);

    // 64 KiB of lines compress to a few hundred bytes: the cap counts the decoded body.
    server.feeds.set("/capped.txt", { body: gzipSync("192.0.2.78\n".repeat(6000)), contentEncoding: "gzip", etag: '"large"' });
    clock.advance(60_000);
    const refused = await explain(() => objects.waitForStatus("capped", "TooLarge", (feed) => FeedObjects.readiness(feed)?.reason === "TooLarge"));
    expect(FeedObjects.readiness(refused)).toEqual({
      status: "False",
      reason: "TooLarge",
      message: `spec.http.url: the body is larger than spec.http.maxBytes (1024 bytes); the 1 indicator loaded at ${loaded.status?.lastRefreshTime ?? ""} stays in use`,
    });
    expect(refused.status?.indicators?.total).toBe(1);
    expect(matches("192.0.2.77")).toBe(1);
    expect(matches("192.0.2.78")).toBe(0);
    expect(await metricValue(operator.registry, "soar_threatfeed_fetch_errors_total", { feed: `${namespace}/capped`, reason: "TooLarge" })).toBe(1);
  });

  it("fails a server it cannot trust with FetchFailed and retries it with backoff before the refresh", async () => {
    server.feeds.set("/untrusted.txt", { body: "192.0.2.90\n" });
    await objects.createFeed("untrusted", { http: http("/untrusted.txt", { caSecretRef: { name: "other-ca", key: "ca.crt" }, refreshInterval: "1h" }) });
    const failed = await explain(() => objects.waitForStatus("untrusted", "FetchFailed", (feed) => FeedObjects.readiness(feed)?.reason === "FetchFailed"));
    expect(FeedObjects.readiness(failed)?.message).toMatch(/^spec\.http\.url: the TLS handshake failed \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\); no indicators are in use$/);

    const failures = async (): Promise<number> => (await metricValue(operator.registry, "soar_threatfeed_fetch_errors_total", { feed: `${namespace}/untrusted`, reason: "FetchFailed" })) ?? 0;
    expect(await failures()).toBe(1);
    clock.advance(10_000);
    await explain(() => waitFor(async () => (await failures()) === 2, { timeoutMs: 30_000, description: "a retry 10s later" }));
  });

  it("reports a server's error answer as FetchFailed naming the status", async () => {
    server.feeds.set("/broken.txt", { body: "", status: 503 });
    await objects.createFeed("broken", { http: http("/broken.txt") });
    const failed = await explain(() => objects.waitForStatus("broken", "FetchFailed", (feed) => FeedObjects.readiness(feed)?.reason === "FetchFailed"));
    expect(FeedObjects.readiness(failed)?.message).toBe("spec.http.url: the server answered HTTP 503, not 200 or 304; no indicators are in use");
  });
});

describe("the destination policy", () => {
  it("refuses a tenant's feed naming a loopback address or a name resolving to one, without sending anything", async () => {
    const tenant = await createTestNamespace(kubeConfig, "tf-refused");
    // Here the test's namespace is not the operator's: loopback is the operator itself, refused to tenants.
    const tenantOperator = await startFeedOperator(kubeConfig, { namespaces: [tenant], operatorNamespace: "kube-soar-system", destinations: loopbackDestinations("kube-soar-system") });
    const tenantObjects = new FeedObjects(kubeConfig, tenant);
    const port = new URL(server.origin).port;
    try {
      server.feeds.set("/internal.txt", { body: "192.0.2.99\n" });
      const before = server.requests.length;
      await tenantObjects.createFeed("literal", { http: { url: `https://127.0.0.1:${port}/internal.txt` } });
      await tenantObjects.createFeed("named", { http: { url: `https://localhost:${port}/internal.txt` } });
      const literal = await tenantObjects.waitForStatus("literal", "DestinationRefused", (feed) => FeedObjects.readiness(feed)?.reason === "DestinationRefused");
      const named = await tenantObjects.waitForStatus("named", "DestinationRefused", (feed) => FeedObjects.readiness(feed)?.reason === "DestinationRefused");
      expect(FeedObjects.readiness(literal)?.message).toContain("127.0.0.1 is in 127.0.0.0/8 (loopback, the operator itself), refused for");
      expect(FeedObjects.readiness(named)?.message).toMatch(/^spec\.http\.url: localhost resolves to (127\.0\.0\.1|::1): /);
      expect(server.requests.length).toBe(before);
      expect(tenantOperator.store.get(`${tenant}/literal`)).toBeUndefined();
    } finally {
      await tenantOperator.stop();
      await deleteNamespace(kubeConfig, tenant);
    }
  });
});
