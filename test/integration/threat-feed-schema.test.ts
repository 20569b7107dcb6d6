import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ApiException, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { API_VERSION } from "../../src/api/v1alpha1/constants.ts";
import { MAX_INLINE_INDICATORS } from "../../src/api/v1alpha1/schema/threat-feed.ts";
import type { ThreatFeed } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { deleteNamespace } from "./threat-feed-helpers.ts";

// The ThreatFeed CRD as the API server applies it: defaults, CEL validations, printer columns,
// the soar category and kubectl explain.
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let namespace = "";

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: unknown;
}

function feed(name: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: API_VERSION, kind: "ThreatFeed", metadata: { name, namespace }, spec };
}

async function apply(manifest: Manifest, dryRun?: "All"): Promise<KubernetesObject> {
  return await objects.patch(manifest, undefined, dryRun, "kube-soar-threatfeed-tests", true, PatchStrategy.ServerSideApply);
}

async function causes(request: Promise<unknown>): Promise<{ field?: string; message?: string }[]> {
  try {
    await request;
  } catch (error: unknown) {
    if (!(error instanceof ApiException)) throw error;
    expect(error.code).toBe(422);
    const body = JSON.parse(String(error.body)) as { details?: { causes?: { field?: string; message?: string }[] } };
    return body.details?.causes ?? [];
  }
  throw new Error("the API server accepted the ThreatFeed");
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(path.join(inject("binDir"), "kubectl"), ["--kubeconfig", inject("kubeconfig"), ...args]);
  return stdout;
}

const url = "https://feeds.example/ips.txt";

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  await ensureCrds(kubeConfig);
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "tf-schema");
});

afterAll(async () => {
  if (namespace !== "") await deleteNamespace(kubeConfig, namespace);
});

describe("ThreatFeed validation", () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ["no source", { severity: "high" }, "spec", "exactly one of inline, configMapRef, secretRef and http must be set"],
    ["two sources", { inline: [{ value: "203.0.113.5" }], http: { url } }, "spec", "exactly one of inline, configMapRef, secretRef and http must be set"],
    ["a plain http URL", { http: { url: "http://feeds.example/ips.txt" } }, "spec.http.url", "must be an https:// URL"],
    ["credentials in the URL", { http: { url: "https://user:pass@feeds.example/ips.txt" } }, "spec.http.url", "should match"],
    ["a refresh more often than every minute", { http: { url, refreshInterval: "30s" } }, "spec.http.refreshInterval", "must be at least 1m"],
    ["a timeout longer than 5 minutes", { http: { url, timeout: "10m" } }, "spec.http.timeout", "must be more than 0s and at most 5m"],
    ["a size cap above 256 MiB", { http: { url, maxBytes: 268435457 } }, "spec.http.maxBytes", "should be less than or equal to 268435456"],
    ["a format for inline indicators", { inline: [{ value: "203.0.113.5" }], format: { type: "list" } }, "spec.format", "inline indicators have none"],
    ["csv settings for a list", { configMapRef: { name: "c", key: "k" }, format: { type: "list", csv: { valueColumn: 0 } } }, "spec.format.csv", "only allowed for it"],
    ["csv without its settings", { configMapRef: { name: "c", key: "k" }, format: { type: "csv" } }, "spec.format.csv", "required for type csv"],
    ["an indicator type for csv", { configMapRef: { name: "c", key: "k" }, format: { type: "csv", indicatorType: "domain", csv: { valueColumn: 0 } } }, "spec.format.indicatorType", "applies to type list only"],
    ["an unknown indicator type", { inline: [{ value: "x", type: "email" }] }, "spec.inline[0].type", "Unsupported value"],
    ["a zero expireAfter", { inline: [{ value: "203.0.113.5" }], expireAfter: "0s" }, "spec.expireAfter", "must be longer than 0s"],
    ["a label with a line break", { inline: [{ value: "203.0.113.5" }], labels: ["a\nb"] }, "spec.labels[0]", "should match"],
    ["too many inline indicators", { inline: Array.from({ length: MAX_INLINE_INDICATORS + 1 }, (_, index) => ({ value: `10.0.${index >> 8}.${index & 255}` })) }, "spec.inline", "must have at most 1000 items"],
  ])("rejects %s", async (_, spec, field, message) => {
    const found = await causes(apply(feed("bad", spec), "All"));
    const cause = found.find((candidate) => candidate.field === field);
    expect(cause, `no cause for ${field} in ${JSON.stringify(found).slice(0, 500)}`).toBeDefined();
    expect(cause?.message).toContain(message);
  });

  it("fills in the defaults of a URL source and its format", async () => {
    const applied = (await apply(feed("defaults", { http: { url }, format: { type: "csv", csv: { valueColumn: "ioc" } } }), "All")) as ThreatFeed;
    expect(applied.spec).toEqual({
      http: { url, refreshInterval: "1h", timeout: "30s", maxBytes: 16 * 1024 * 1024 },
      format: { type: "csv", csv: { valueColumn: "ioc", header: false, delimiter: "," } },
      defaultConfidence: 50,
      includeSubdomains: false,
    });
  });
});

describe("kubectl", () => {
  it("prints Ready, Indicators and Last-Refresh, finds ThreatFeeds by short name and in the soar category, and explains the spec", async () => {
    await apply(feed("printed", { inline: [{ value: "203.0.113.5" }] }));
    const table = await kubectl("get", "tf", "printed", "-n", namespace);
    expect(table.split("\n")[0]?.split(/\s+/)).toEqual(["NAME", "READY", "INDICATORS", "LAST-REFRESH", "AGE"]);
    expect(await kubectl("get", "soar", "-n", namespace, "-o", "name")).toContain("threatfeed.soar.kube-soar.io/printed");
    const explained = await waitFor(
      async () => {
        const output = await kubectl("explain", "threatfeed.spec.http");
        return output.includes("refreshInterval") ? output : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: "kubectl explain to know threatfeed.spec.http" },
    );
    expect(explained).toContain("Fetch the feed from an HTTPS URL");
    expect(explained).toContain("If-None-Match");
  });
});
