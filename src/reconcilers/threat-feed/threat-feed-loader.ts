import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { GROUP, Plural, VERSION } from "../../api/v1alpha1/constants.ts";
import { parseDuration } from "../../api/duration.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import { DEFAULT_REFRESH_INTERVAL } from "../../api/v1alpha1/schema/threat-feed.ts";
import type { ThreatFeed } from "../../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../config/options.ts";
import type { IntelStore } from "../../intel/index.ts";
import type { RuntimeClock } from "../../runtime/clock.ts";
import { Controller, type ReconcileContext, type ReconcileResult } from "../../runtime/controller.ts";
import { EventLoopTurns } from "../../runtime/event-loop-turns.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import type { InformerFactory } from "../../runtime/informer-factory.ts";
import type { PartialObjectMetadata } from "../../runtime/kube-object.ts";
import { makeApiClient } from "../../runtime/kube-api-client.ts";
import { objectKey, splitObjectKey } from "../../runtime/object-key.ts";
import { WorkQueue } from "../../runtime/work-queue.ts";
import { watchSecretMetadata } from "../collections.ts";
import { rememberSpecWrite } from "../spec-write-times.ts";
import { tenancyCheck } from "../tenancy-check.ts";
import { watchCollection, type WatchedCollection } from "../watched-collection.ts";
import type { FeedFetcher, FeedValidators } from "./feed-fetch.ts";
import { feedInputs, feedsReferencing, referencedConfigMaps, referencedSecrets, sourceKindOf } from "./feed-inputs.ts";
import type { FeedLoadState, FeedLoadStates } from "./feed-load-state.ts";
import { nextAttemptDelay } from "./feed-schedule.ts";
import { attemptLoad, indicatorCount, type AttemptResult } from "./load-attempt.ts";
import { ThreatFeedMetrics, type LoadResult } from "./threat-feed-metrics.ts";

/** Name of the loader's work queue and controller in metrics and logs. */
export const THREAT_FEED_LOADER = "threatfeed-loader";

/** What a {@link ThreatFeedLoader} is built from; everything is injected. */
export interface ThreatFeedLoaderOptions {
  readonly kubeConfig: KubeConfig;
  /** The informer factory of the loader's caches; its owner starts it. */
  readonly informers: InformerFactory;
  /** The store the loaded indexes go to; intake matches against it. */
  readonly store: IntelStore;
  readonly fetcher: FeedFetcher;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Schedules refreshes and retries, and dates the loads. */
  readonly clock: RuntimeClock;
  readonly options: Pick<OperatorOptions, "watchNamespaces" | "namespace" | "verifyTenancy">;
  /** Feeds loaded at once. */
  readonly concurrency?: number;
  /** In [0, 1): the jitter of refresh and retry delays; `Math.random` when absent. */
  readonly random?: () => number;
}

/** Per feed: what its last attempt depended on and what comes next. */
interface FeedRecord {
  readonly attempt: string;
  /** The content inputs of the index in use; undefined when none is held. */
  readonly content: string | undefined;
  readonly validators: FeedValidators | undefined;
  readonly failures: number;
  /** Epoch milliseconds of the next attempt; undefined when only a change calls for one. */
  readonly nextAttemptAt: number | undefined;
  readonly state: FeedLoadState;
}

/**
 * Keeps an {@link IntelStore} current with the cluster's ThreatFeeds, in every replica: a cache
 * of the feeds and of the metadata of ConfigMaps and Secrets (so that an edit of a feed's
 * ConfigMap or Secret reloads it), and a keyed queue that loads each feed when its spec, its
 * ConfigMap or Secret or its tenancy verdict changed, and refreshes fetched feeds every
 * `refreshInterval` (with jitter; retries with bounded backoff). A failed load keeps the feed's
 * previous index; a feed that is deleted, or whose ConfigMap or Secret the tenancy policy did not
 * vouch for, is dropped from the store. The outcome of each feed's last attempt is kept for the
 * controller that writes status ({@link FeedLoadStates}).
 */
export class ThreatFeedLoader implements FeedLoadStates {
  readonly store: IntelStore;
  readonly #feeds: WatchedCollection<ThreatFeed>;
  readonly #configMaps: WatchedCollection<PartialObjectMetadata>;
  readonly #secrets: WatchedCollection<PartialObjectMetadata>;
  readonly #tenancy: ReturnType<typeof tenancyCheck>;
  readonly #queue: WorkQueue;
  readonly #controller: Controller;
  readonly #records = new Map<string, FeedRecord>();
  readonly #listeners = new Set<(key: string) => void>();
  readonly #metrics: ThreatFeedMetrics;
  readonly #turns = new EventLoopTurns();
  readonly #core: CoreV1Api;
  readonly #options: ThreatFeedLoaderOptions;
  readonly #random: () => number;

  constructor(options: ThreatFeedLoaderOptions) {
    this.#options = options;
    this.store = options.store;
    this.#random = options.random ?? Math.random;
    const namespaces = options.options.watchNamespaces;
    const resource = { group: GROUP, version: VERSION, plural: Plural.ThreatFeed, resource: Plural.ThreatFeed, inspect: rememberSpecWrite };
    this.#feeds = watchCollection<ThreatFeed>(options.informers, resource, namespaces);
    this.#configMaps = watchCollection<PartialObjectMetadata>(options.informers, { resource: "configmaps", group: "", version: "v1", plural: "configmaps", metadataOnly: true }, namespaces);
    this.#secrets = watchSecretMetadata(options.informers, namespaces);
    this.#tenancy = tenancyCheck(options.informers, options.options);
    this.#core = makeApiClient(options.kubeConfig, CoreV1Api);
    this.#metrics = new ThreatFeedMetrics(options.registry);
    this.#queue = new WorkQueue({ name: THREAT_FEED_LOADER, registry: options.registry, clock: options.clock });
    this.#controller = new Controller({
      name: THREAT_FEED_LOADER,
      queue: this.#queue,
      reconcile: (key, context) => this.#reconcile(key, context),
      maxConcurrentReconciles: options.concurrency ?? 2,
      registry: options.registry,
      logger: options.logger,
      clock: options.clock,
    });

    this.#feeds.addEventHandler(enqueueKeys<ThreatFeed>(this.#queue));
    const feedsOf = (referenced: typeof referencedSecrets) => (object: PartialObjectMetadata) => {
      const namespace = object.metadata.namespace ?? "";
      return feedsReferencing(this.#feeds.listByNamespace(namespace), namespace, object.metadata.name ?? "", referenced);
    };
    this.#configMaps.addEventHandler(enqueueKeys(this.#queue, feedsOf(referencedConfigMaps)));
    this.#secrets.addEventHandler(enqueueKeys(this.#queue, feedsOf(referencedSecrets)));
    this.#tenancy.onBindingChange(() => {
      for (const feed of this.#feeds.list()) this.#queue.add(objectKey(feed));
    });
  }

  /** Waits for the caches, then loads feeds until `signal` aborts; resolves once in-flight loads finished. */
  async start(signal: AbortSignal): Promise<void> {
    const caches = [this.#feeds, this.#configMaps, this.#secrets, ...this.#tenancy.caches];
    const synced = await Promise.all(caches.map((cache) => cache.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    this.#options.logger.info({ controller: THREAT_FEED_LOADER, feeds: this.#feeds.list().length }, "threat feed caches synced");
    await this.#controller.start(signal);
  }

  /** True once the caches of feeds, ConfigMaps, Secrets and policy bindings have synced. */
  hasSynced(): boolean {
    return [this.#feeds, this.#configMaps, this.#secrets, ...this.#tenancy.caches].every((cache) => cache.hasSynced());
  }

  get(key: string): FeedLoadState | undefined {
    return this.#records.get(key)?.state;
  }

  onChange(listener: (key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(key: string): void {
    for (const listener of this.#listeners) listener(key);
  }

  #drop(key: string): void {
    this.store.delete(key);
    this.#metrics.forget(key);
    if (this.#records.delete(key)) this.#changed(key);
  }

  async #reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const feed = this.#feeds.get(namespace, name);
    if (feed === undefined || feed.metadata.deletionTimestamp !== undefined) {
      this.#drop(key);
      return {};
    }
    const version = (cache: WatchedCollection<PartialObjectMetadata>) => (object: string) => cache.get(namespace, object)?.metadata.resourceVersion;
    const inputs = feedInputs(feed, version(this.#configMaps), version(this.#secrets));
    const verdict = this.#tenancy.threatFeed(feed);
    const attempt = JSON.stringify([inputs.attempt, verdict.verified]);
    const record = this.#records.get(key);
    const now = this.#options.clock.now();
    if (record?.attempt === attempt) {
      if (record.nextAttemptAt === undefined) return {};
      if (now.getTime() < record.nextAttemptAt) return { requeueAfter: record.nextAttemptAt - now.getTime() };
    }
    const generation = feed.metadata.generation ?? 0;
    if (!verdict.verified) {
      this.store.delete(key);
      this.#metrics.dropIndex(key);
      const state: FeedLoadState = { generation, ready: false, reason: verdict.reason, message: `${verdict.field}: ${verdict.message}` };
      this.#records.set(key, { attempt, content: undefined, validators: undefined, failures: 0, nextAttemptAt: undefined, state });
      this.#changed(key);
      return {};
    }
    const source = sourceKindOf(feed.spec);
    if (source === undefined) {
      this.#record(key, feed, attempt, record, { kind: "failed", reason: Reason.InvalidSpec, message: "spec: exactly one of inline, configMapRef, secretRef and http must be set", retryable: false }, inputs.content, now);
      return {};
    }
    // A 304 may keep only an index loaded with the same content inputs.
    const conditional = record?.content === inputs.content && this.store.get(key) !== undefined ? record.validators : undefined;
    const started = performance.now();
    const result = await attemptLoad(feed, source, now, { core: this.#core, fetcher: this.#options.fetcher, turns: this.#turns, signal: context.signal }, conditional);
    const outcome: LoadResult = result.kind === "loaded" ? "loaded" : result.kind === "not-modified" ? "not_modified" : "failed";
    this.#metrics.attempt(source, outcome, (performance.now() - started) / 1000);
    const next = this.#record(key, feed, attempt, record, result, inputs.content, now);
    context.logger.info({ feed: key, source, result: outcome, reason: this.get(key)?.reason, nextAttemptInMs: next }, "threat feed load attempted");
    return next === undefined ? {} : { requeueAfter: next };
  }

  /** Applies the result of an attempt to the store, the metrics and the feed's record; returns the delay until the next attempt. */
  #record(key: string, feed: ThreatFeed, attempt: string, previous: FeedRecord | undefined, result: AttemptResult, content: string, now: Date): number | undefined {
    const generation = feed.metadata.generation ?? 0;
    const kept = previous?.state.loaded;
    const refreshMs = feed.spec.http === undefined ? undefined : (parseDuration(feed.spec.http.refreshInterval ?? DEFAULT_REFRESH_INTERVAL) ?? 3_600_000);
    let record: Omit<FeedRecord, "nextAttemptAt">;
    let retryable = false;
    switch (result.kind) {
      case "loaded":
        this.store.set(result.built.index);
        this.#metrics.loaded(key, result.loaded);
        record = {
          attempt,
          content,
          validators: result.validators,
          failures: 0,
          state: { generation, ready: true, reason: Reason.Loaded, message: result.message, loaded: result.loaded, lastRefreshTime: now },
        };
        break;
      case "not-modified":
        record = {
          attempt,
          content,
          validators: previous?.validators,
          failures: 0,
          state: {
            generation,
            ready: true,
            reason: Reason.Loaded,
            message: `${indicatorCount(kept?.total ?? 0)} in use, unchanged at the server since the last load`,
            ...(kept === undefined ? {} : { loaded: kept }),
            lastRefreshTime: now,
          },
        };
        break;
      case "failed": {
        this.#metrics.failed(key, result.reason);
        retryable = result.retryable;
        const lastRefresh = previous?.state.lastRefreshTime;
        const keeping = kept === undefined || lastRefresh === undefined ? "; no indicators are in use" : `; the ${indicatorCount(kept.total)} loaded at ${lastRefresh.toISOString()} ${kept.total === 1 ? "stays" : "stay"} in use`;
        record = {
          attempt,
          content: previous?.content,
          validators: previous?.validators,
          failures: (previous?.failures ?? 0) + 1,
          state: {
            generation,
            ready: false,
            reason: result.reason,
            message: `${result.message}${keeping}`,
            ...(kept === undefined ? {} : { loaded: kept }),
            ...(lastRefresh === undefined ? {} : { lastRefreshTime: lastRefresh }),
          },
        };
        break;
      }
    }
    const delay = nextAttemptDelay({ refreshMs, failures: record.failures, retryable }, this.#random());
    this.#records.set(key, { ...record, nextAttemptAt: delay === undefined ? undefined : now.getTime() + delay });
    this.#changed(key);
    return delay;
  }
}
