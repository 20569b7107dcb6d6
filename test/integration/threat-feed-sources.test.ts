import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import type { IntelMatch } from "../../src/intel/index.ts";
import { loopbackDestinations } from "../../src/testing/loopback-destinations.ts";
import { metricValue } from "../../src/testing/metrics.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { deleteNamespace, FeedObjects, startFeedOperator, type FeedOperator } from "./threat-feed-helpers.ts";

// ThreatFeeds whose text is inline, in a ConfigMap or in a Secret, in each format, loaded by a
// replica's loader into its store and reported in status by the controller, against the real API
// server. Two namespaces: `ops` is the operator's, `tenant` another.
let kubeConfig: KubeConfig;
let ops: string;
let tenant: string;
let operator: FeedOperator;
let inTenant: FeedObjects;
let inOps: FeedObjects;

function matches(value: string, namespace: string | undefined): readonly IntelMatch[] {
  return operator.store.match(value, { namespace, now: Date.now() });
}

async function explain<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- operator log (tail) ---\n${operator.logs.slice(-30).join("\n")}`, { cause: error });
  }
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  await ensureCrds(kubeConfig);
  ops = await createTestNamespace(kubeConfig, "tf-ops");
  tenant = await createTestNamespace(kubeConfig, "tf-tenant");
  inTenant = new FeedObjects(kubeConfig, tenant);
  inOps = new FeedObjects(kubeConfig, ops);
  operator = await startFeedOperator(kubeConfig, { namespaces: [ops, tenant], operatorNamespace: ops, destinations: loopbackDestinations(ops) });
});

afterAll(async () => {
  await operator.stop();
  await Promise.all([deleteNamespace(kubeConfig, ops), deleteNamespace(kubeConfig, tenant)]);
});

describe("an inline ThreatFeed", () => {
  it("is loaded into the store, with its counts, expired indicators and rejected entries in status and metrics", async () => {
    await inTenant.createFeed("inline", {
      severity: "high",
      labels: ["tlp:amber"],
      inline: [
        { value: "198.51.100.0/24", labels: ["scanner"] },
        { value: "EVIL.example." },
        { value: "2001:db8::1" },
        { value: "203.0.113.99", validUntil: "2020-01-01T00:00:00Z" },
        { value: "not an indicator at all" },
      ],
    });
    const feed = await explain(() => inTenant.waitForStatus("inline", "Ready", (candidate) => FeedObjects.readiness(candidate)?.status === "True"));
    expect(FeedObjects.readiness(feed)?.reason).toBe("Loaded");
    expect(feed.status).toMatchObject({
      indicators: { total: 3, ipv4: 1, ipv6: 1, domain: 1, url: 0, sha256: 0, sha1: 0, md5: 0 },
      rejected: { count: 1, lines: [{ line: 5 }] },
      expired: 1,
    });
    expect(feed.status?.lastRefreshTime).toBeDefined();

    expect(matches("198.51.100.7", tenant)).toEqual([
      { feed: `${tenant}/inline`, indicator: "198.51.100.0/24", type: "ipv4", confidence: 50, labels: ["tlp:amber", "scanner"], severity: "high" },
    ]);
    expect(matches("evil.example", tenant)).toHaveLength(1);
    expect(matches("203.0.113.99", tenant)).toEqual([]);
    expect(await metricValue(operator.registry, "soar_threatfeed_indicators", { feed: `${tenant}/inline`, type: "ipv4" })).toBe(1);
  });

  it("applies only to Incidents of its own namespace, while a feed of the operator's namespace applies to every one", async () => {
    await inOps.createFeed("global", { inline: [{ value: "192.0.2.44" }] });
    await inOps.waitForStatus("global", "Ready", (candidate) => FeedObjects.readiness(candidate)?.status === "True");
    await waitFor(() => matches("198.51.100.7", tenant).length === 1, { timeoutMs: 30_000, description: "the tenant feed to be loaded" });

    expect(matches("198.51.100.7", "elsewhere")).toEqual([]);
    expect(matches("198.51.100.7", undefined)).toEqual([]);
    expect(matches("192.0.2.44", "elsewhere").map((match) => match.feed)).toEqual([`${ops}/global`]);
    expect(matches("192.0.2.44", tenant).map((match) => match.feed)).toEqual([`${ops}/global`]);
    expect(matches("192.0.2.44", undefined).map((match) => match.feed)).toEqual([`${ops}/global`]);
  });

  it("is reloaded when its spec changes and dropped with its metrics when deleted", async () => {
    await inOps.createFeed("short-lived", { inline: [{ value: "c0ffee.example" }] });
    await waitFor(() => matches("c0ffee.example", "x").length === 1, { timeoutMs: 30_000, description: "the feed to be loaded" });
    await inOps.updateFeed("short-lived", (spec) => ({ ...spec, inline: [{ value: "decaf.example" }] }));
    await waitFor(() => matches("decaf.example", "x").length === 1 && matches("c0ffee.example", "x").length === 0, { timeoutMs: 30_000, description: "the edited feed to be reloaded" });

    await inOps.deleteFeed("short-lived");
    await waitFor(() => operator.store.get(`${ops}/short-lived`) === undefined, { timeoutMs: 30_000, description: "the deleted feed to leave the store" });
    expect(await metricValue(operator.registry, "soar_threatfeed_indicators", { feed: `${ops}/short-lived`, type: "domain" })).toBeUndefined();
    expect(operator.loader.get(`${ops}/short-lived`)).toBeUndefined();
  });
});

describe("a ThreatFeed in a ConfigMap", () => {
  it("is SourceNotFound while the ConfigMap is missing, and loads as soon as it is created", async () => {
    await inTenant.createFeed("later", { configMapRef: { name: "later-ips", key: "list" } });
    const missing = await explain(() => inTenant.waitForStatus("later", "SourceNotFound", (candidate) => FeedObjects.readiness(candidate)?.reason === "SourceNotFound"));
    expect(FeedObjects.readiness(missing)).toEqual({
      status: "False",
      reason: "SourceNotFound",
      message: `spec.configMapRef: ConfigMap ${tenant}/later-ips does not exist; no indicators are in use`,
    });
    expect(await metricValue(operator.registry, "soar_threatfeed_fetch_errors_total", { feed: `${tenant}/later`, reason: "SourceNotFound" })).toBe(1);

    await inTenant.putConfigMap("later-ips", { list: "# a list\n203.0.113.10\n\n203.0.113.11 ; with a comment\n" });
    const loaded = await explain(() => inTenant.waitForStatus("later", "Loaded", (candidate) => FeedObjects.readiness(candidate)?.reason === "Loaded"));
    expect(loaded.status?.indicators?.total).toBe(2);
    expect(matches("203.0.113.11", tenant)).toHaveLength(1);
  });

  it("reloads when the ConfigMap is edited", async () => {
    await inTenant.putConfigMap("domains", { list: "bad.example\n" });
    await inTenant.createFeed("domains", { configMapRef: { name: "domains", key: "list" }, format: { type: "list", indicatorType: "domain" }, includeSubdomains: true });
    await waitFor(() => matches("cdn.bad.example", tenant).length === 1, { timeoutMs: 30_000, description: "the domains to load" });

    await inTenant.putConfigMap("domains", { list: "worse.example\n" });
    await waitFor(() => matches("a.worse.example", tenant).length === 1, { timeoutMs: 30_000, description: "the edited ConfigMap to reload the feed" });
    expect(matches("cdn.bad.example", tenant)).toEqual([]);
  });

  it("reads a STIX bundle, counting unsupported patterns, and keeps its indicators when an edit makes it malformed", async () => {
    const indicator = (id: string, pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      type: "indicator",
      spec_version: "2.1",
      id: `indicator--${id}`,
      created: "2026-01-01T00:00:00Z",
      modified: "2026-01-01T00:00:00Z",
      valid_from: "2026-01-01T00:00:00Z",
      pattern_type: "stix",
      pattern,
      ...extra,
    });
    const bundle = {
      type: "bundle",
      id: "bundle--00000000-0000-4000-8000-000000000001",
      objects: [
        indicator("00000000-0000-4000-8000-000000000002", "[ipv4-addr:value = '198.18.0.1'] OR [domain-name:value = 'c2.example']", { confidence: 85, labels: ["c2"] }),
        indicator("00000000-0000-4000-8000-000000000003", "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"),
        indicator("00000000-0000-4000-8000-000000000004", "[process:name = 'xmrig']"),
        indicator("00000000-0000-4000-8000-000000000005", "[ipv4-addr:value = '198.18.0.9']", { valid_from: "2019-01-01T00:00:00Z", valid_until: "2020-01-01T00:00:00Z" }),
      ],
    };
    await inTenant.putConfigMap("stix", { "bundle.json": JSON.stringify(bundle) });
    await inTenant.createFeed("stix", { configMapRef: { name: "stix", key: "bundle.json" }, format: { type: "stix2" } });
    const loaded = await explain(() => inTenant.waitForStatus("stix", "Loaded", (candidate) => FeedObjects.readiness(candidate)?.reason === "Loaded"));
    expect(loaded.status).toMatchObject({ indicators: { total: 3, ipv4: 1, domain: 1, sha256: 1 }, unsupportedPatterns: 1, expired: 1 });
    expect(matches("c2.example", tenant)).toMatchObject([{ confidence: 85, labels: ["c2"] }]);
    expect(matches("198.18.0.9", tenant)).toEqual([]);

    await inTenant.putConfigMap("stix", { "bundle.json": '{"type": "bundle", "objects": [' });
    const failed = await explain(() => inTenant.waitForStatus("stix", "ParseFailed", (candidate) => FeedObjects.readiness(candidate)?.reason === "ParseFailed"));
    expect(FeedObjects.readiness(failed)?.status).toBe("False");
    expect(FeedObjects.readiness(failed)?.message).toMatch(new RegExp(`^the text of ConfigMap ${tenant}/stix key bundle\\.json cannot be read as stix2: .+; the 3 indicators loaded at \\S+ stay in use$`));
    expect(failed.status?.indicators?.total).toBe(3);
    expect(matches("c2.example", tenant)).toHaveLength(1);
  });
});

describe("a ThreatFeed in a Secret", () => {
  it("reads CSV with a header, honours its expiry and confidence columns, and reports rejected lines without their text", async () => {
    const csv = [
      "indicator,kind,score,until",
      "198.19.5.200,ipv4,90,",
      "https://Phish.example/login#x,url,,",
      "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae,sha256,,2020-01-01T00:00:00Z",
      "secret-looking-value!!,domain,,",
    ].join("\n");
    await inTenant.putSecret("licensed", { "feed.csv": csv });
    await inTenant.createFeed("licensed", {
      secretRef: { name: "licensed", key: "feed.csv" },
      format: { type: "csv", csv: { valueColumn: "indicator", typeColumn: "kind", confidenceColumn: "score", expiresColumn: "until", header: true } },
    });
    const loaded = await explain(() => inTenant.waitForStatus("licensed", "Loaded", (candidate) => FeedObjects.readiness(candidate)?.reason === "Loaded"));
    expect(loaded.status).toMatchObject({ indicators: { total: 2, ipv4: 1, url: 1 }, expired: 1, rejected: { count: 1 } });
    expect(loaded.status?.rejected?.lines).toEqual([{ line: 5, reason: "not an indicator (the reason is not shown: the feed's text is a Secret's)" }]);
    expect(JSON.stringify(loaded.status)).not.toContain("secret-looking-value");
    expect(matches("198.19.5.200", tenant)).toMatchObject([{ confidence: 90 }]);
    expect(matches("https://phish.example/login", tenant)).toHaveLength(1);
    expect(matches("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", tenant)).toEqual([]);
  });

  it("reports a missing key as SourceNotFound", async () => {
    await inTenant.putSecret("keyless", { other: "198.51.100.1\n" });
    await inTenant.createFeed("keyless", { secretRef: { name: "keyless", key: "feed.txt" } });
    const missing = await explain(() => inTenant.waitForStatus("keyless", "SourceNotFound", (candidate) => FeedObjects.readiness(candidate)?.reason === "SourceNotFound"));
    expect(FeedObjects.readiness(missing)?.message).toBe(`spec.secretRef: Secret ${tenant}/keyless has no key feed.txt; no indicators are in use`);
  });
});
