import type { KubeObject } from "./kube-object.ts";
import type { Logger } from "pino";
import type { RuntimeClock } from "./clock.ts";
import { SharedInformer } from "./informer.ts";
import type { KubeHttpClient } from "./kube-http.ts";
import { resourceListerWatcher } from "./lister-watcher.ts";
import type { IndexFunction } from "./object-store.ts";
import type { ReflectorTuning } from "./reflector.ts";

/** One collection to cache. */
export interface InformerRequest<T> {
  /** Collection path, e.g. `/api/v1/configmaps` or `/apis/batch/v1/jobs`. */
  path: string;
  /** Names the collection in logs, e.g. "jobs". */
  resource: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Cache objects as `PartialObjectMetadata` (metadata only, no spec, status or data); such an
   * informer is separate from the full one of the same path.
   */
  metadataOnly?: boolean;
  /** Indexes to add; honoured only by the call that creates the informer. */
  indexers?: Readonly<Record<string, IndexFunction<T>>>;
  /** Sees each object with its `managedFields` before caching (see `InformerOptions.inspect`); honoured only by the call that creates the informer. */
  inspect?: (object: T) => void;
}

/** What an informer factory needs; the tuning applies to every informer it makes. */
export interface InformerFactoryOptions extends ReflectorTuning {
  client: KubeHttpClient;
  clock: RuntimeClock;
  logger: Logger;
  resyncPeriodMs?: number;
}

/**
 * Hands out one shared informer per collection (path, selectors, and whether only metadata is
 * cached), so controllers watching the same resource share one watch and one cache, and starts
 * them together.
 */
export class InformerFactory {
  readonly #options: InformerFactoryOptions;
  readonly #informers = new Map<string, SharedInformer<KubeObject>>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(options: InformerFactoryOptions) {
    this.#options = options;
  }

  /** The informer of `request`'s collection, created on first request. */
  informerFor<T extends KubeObject>(request: InformerRequest<T>): SharedInformer<T> {
    const key = JSON.stringify([request.path, request.labelSelector ?? "", request.fieldSelector ?? "", request.metadataOnly === true]);
    const existing = this.#informers.get(key);
    // One path always holds one kind of object, so the informer made for it is of type T.
    if (existing !== undefined) return existing as unknown as SharedInformer<T>;
    const { client, ...tuning } = this.#options;
    const informer = new SharedInformer<T>({
      ...tuning,
      resource: request.resource,
      ...(request.indexers === undefined ? {} : { indexers: request.indexers }),
      ...(request.inspect === undefined ? {} : { inspect: request.inspect }),
      listerWatcher: resourceListerWatcher<T>(client, {
        path: request.path,
        ...(request.labelSelector === undefined ? {} : { labelSelector: request.labelSelector }),
        ...(request.fieldSelector === undefined ? {} : { fieldSelector: request.fieldSelector }),
        ...(request.metadataOnly === true ? { metadataOnly: true } : {}),
      }),
    });
    this.#informers.set(key, informer as unknown as SharedInformer<KubeObject>);
    return informer;
  }

  /** Starts every informer not yet running; they stop when `signal` aborts. */
  start(signal: AbortSignal): void {
    for (const [key, informer] of this.#informers) {
      if (this.#running.has(key)) continue;
      this.#running.set(key, informer.run(signal).finally(() => this.#running.delete(key)));
    }
  }

  /** Resolves `true` once every informer has synced, `false` if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.#informers.values()].map((informer) => informer.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves when every started informer has stopped. */
  async stopped(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }
}
