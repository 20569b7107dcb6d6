import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api, CustomObjectsApi, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ThreatFeed, ThreatFeedSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { IntelStore } from "../../src/intel/index.ts";
import type { DestinationPolicy } from "../../src/policy/destination-policy.ts";
import { createFeedFetcher, createThreatFeedController, ThreatFeedLoader } from "../../src/reconcilers/index.ts";
import { systemRuntimeClock, type RuntimeClock } from "../../src/runtime/clock.ts";
import { InformerFactory } from "../../src/runtime/informer-factory.ts";
import { KubeHttpClient } from "../../src/runtime/kube-http.ts";
import { capturedLogger } from "../../src/testing/captured-logger.ts";
import { waitFor } from "../support/kube.ts";

/** What a test of ThreatFeeds runs: one replica's loader and store, and the leader's controller. */
export interface FeedOperator {
  readonly store: IntelStore;
  readonly loader: ThreatFeedLoader;
  readonly registry: Registry;
  readonly logs: string[];
  stop(): Promise<void>;
}

/** What a test may choose of its operator. */
export interface FeedOperatorOptions {
  /** The namespaces watched. */
  readonly namespaces: readonly string[];
  /** The operator's namespace, whose feeds apply to every namespace. */
  readonly operatorNamespace: string;
  readonly destinations: DestinationPolicy;
  /** Schedules the loader's refreshes and retries; the wall clock when absent. */
  readonly clock?: RuntimeClock;
  readonly verifyTenancy?: boolean;
}

/**
 * Starts, on its own informer factory, a ThreatFeed loader over `namespaces` with its own store
 * and registry, and the ThreatFeed controller writing status from it (as the leader does).
 */
export async function startFeedOperator(kubeConfig: KubeConfig, options: FeedOperatorOptions): Promise<FeedOperator> {
  const { logger, lines } = capturedLogger("debug");
  const registry = new Registry();
  const informers = new InformerFactory({ client: new KubeHttpClient(kubeConfig), clock: systemRuntimeClock, logger });
  const settings = { watchNamespaces: [...options.namespaces], namespace: options.operatorNamespace, verifyTenancy: options.verifyTenancy ?? false, maxConcurrentReconciles: 2 };
  const store = new IntelStore(options.operatorNamespace);
  const loader = new ThreatFeedLoader({
    kubeConfig,
    informers,
    store,
    fetcher: createFeedFetcher({ destinations: options.destinations }),
    logger,
    registry,
    clock: options.clock ?? systemRuntimeClock,
    options: settings,
    random: () => 0,
  });
  const controller = createThreatFeedController({ kubeConfig, informers, logger, registry, clock: systemRuntimeClock, options: settings, identity: "test-operator", threatFeeds: loader });
  const abort = new AbortController();
  informers.start(abort.signal);
  const running = [loader.start(abort.signal), controller.start(abort.signal)];
  await waitFor(() => loader.hasSynced() && controller.hasSynced(), { timeoutMs: 30_000, description: "the threat feed caches to sync" });
  return {
    store,
    loader,
    registry,
    logs: lines,
    async stop() {
      abort.abort();
      await Promise.all(running);
      await informers.stopped();
    },
  };
}

/** Reads and writes ThreatFeeds, ConfigMaps and Secrets of one namespace. */
export class FeedObjects {
  readonly #custom: CustomObjectsApi;
  readonly #objects: KubernetesObjectApi;
  readonly namespace: string;

  constructor(kubeConfig: KubeConfig, namespace: string) {
    this.#custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.namespace = namespace;
  }

  async createFeed(name: string, spec: ThreatFeedSpec): Promise<void> {
    const body: ThreatFeed = { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "ThreatFeed", metadata: { name, namespace: this.namespace }, spec };
    await this.#custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.ThreatFeed, body });
  }

  async feed(name: string): Promise<ThreatFeed> {
    return (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.ThreatFeed, name })) as ThreatFeed;
  }

  /** Replaces the feed's spec (read, modify, write). */
  async updateFeed(name: string, change: (spec: ThreatFeedSpec) => ThreatFeedSpec): Promise<void> {
    const current = await this.feed(name);
    const body: ThreatFeed = { ...current, spec: change(current.spec) };
    await this.#custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.ThreatFeed, name, body });
  }

  async deleteFeed(name: string): Promise<void> {
    await this.#custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.ThreatFeed, name });
  }

  /** Creates or replaces ConfigMap `name` with `data`. */
  async putConfigMap(name: string, data: Record<string, string>): Promise<void> {
    await this.#put({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: this.namespace }, data });
  }

  /** Creates or replaces Secret `name` with `stringData`. */
  async putSecret(name: string, stringData: Record<string, string>): Promise<void> {
    await this.#put({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: this.namespace }, stringData });
  }

  async #put(object: { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; [field: string]: unknown }): Promise<void> {
    try {
      await this.#objects.read(object);
    } catch {
      await this.#objects.create(object);
      return;
    }
    await this.#objects.replace(object);
  }

  /** Waits until the feed's status satisfies `accept`, and resolves with the feed. */
  async waitForStatus(name: string, description: string, accept: (feed: ThreatFeed) => boolean): Promise<ThreatFeed> {
    return await waitFor(
      async () => {
        const feed = await this.feed(name);
        return accept(feed) ? feed : undefined;
      },
      { timeoutMs: 30_000, description: `ThreatFeed ${name}: ${description}` },
    );
  }

  /** The Ready condition's reason of the feed's status, once its observedGeneration is the feed's. */
  static readiness(feed: ThreatFeed): { status: string; reason: string; message: string } | undefined {
    if (feed.status?.observedGeneration !== feed.metadata.generation) return undefined;
    const ready = feed.status?.conditions?.find((condition) => condition.type === "Ready");
    return ready === undefined ? undefined : { status: ready.status, reason: ready.reason, message: ready.message };
  }
}

/** Deletes a test namespace. */
export async function deleteNamespace(kubeConfig: KubeConfig, namespace: string): Promise<void> {
  await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
}

const run = promisify(execFile);

/** A throwaway CA and a server certificate it signed for the name feeds.test, made with openssl. */
export async function makeFeedPki(): Promise<{ ca: string; otherCa: string; cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), "kube-soar-feed-pki-"));
  try {
    const file = (name: string): string => join(dir, name);
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    for (const ca of ["ca", "other-ca"]) {
      await run("openssl", ["req", "-x509", ...ec, "-keyout", file(`${ca}.key`), "-out", file(`${ca}.crt`), "-days", "1", "-subj", `/CN=${ca}`]);
    }
    await writeFile(file("server.ext"), "subjectAltName=DNS:feeds.test\nextendedKeyUsage=serverAuth\n");
    await run("openssl", ["req", "-new", ...ec, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=feeds.test"]);
    await run("openssl", ["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file("server.crt"), "-days", "1", "-extfile", file("server.ext")]);
    return {
      ca: await readFile(file("ca.crt"), "utf8"),
      otherCa: await readFile(file("other-ca.crt"), "utf8"),
      cert: await readFile(file("server.crt"), "utf8"),
      key: await readFile(file("server.key"), "utf8"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One request the feed server answered. */
export interface ServedRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A feed served at a path: its body and validators, or a status to answer instead. */
export interface ServedFeed {
  body: string | Buffer;
  etag?: string;
  lastModified?: string;
  status?: number;
  contentEncoding?: string;
}

/** A local HTTPS server of feeds, by path, honouring If-None-Match, and recording every request. */
export interface FeedServer {
  readonly origin: string;
  readonly feeds: Map<string, ServedFeed>;
  readonly requests: ServedRequest[];
  close(): Promise<void>;
}

/** Starts a {@link FeedServer} on 127.0.0.1 with the certificate of `pki`. */
export async function startFeedServer(pki: { cert: string; key: string }): Promise<FeedServer> {
  const feeds = new Map<string, ServedFeed>();
  const requests: ServedRequest[] = [];
  const server = https.createServer({ key: pki.key, cert: pki.cert }, (request, response) => {
    const path = request.url ?? "/";
    requests.push({ path, headers: { ...request.headers } });
    request.resume();
    const feed = feeds.get(path);
    if (feed === undefined) {
      response.writeHead(404).end();
      return;
    }
    if (feed.status !== undefined) {
      response.writeHead(feed.status).end();
      return;
    }
    if (feed.etag !== undefined && request.headers["if-none-match"] === feed.etag) {
      response.writeHead(304, { ETag: feed.etag }).end();
      return;
    }
    const headers: Record<string, string> = { "Content-Type": "text/plain" };
    if (feed.etag !== undefined) headers["ETag"] = feed.etag;
    if (feed.lastModified !== undefined) headers["Last-Modified"] = feed.lastModified;
    if (feed.contentEncoding !== undefined) headers["Content-Encoding"] = feed.contentEncoding;
    response.writeHead(200, headers).end(feed.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    feeds,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
