import type { KubeObject } from "./kube-object.ts";
import type { Logger } from "pino";
import type { RuntimeClock, TimerHandle } from "./clock.ts";
import type { ListerWatcher, ObjectWatchEvent } from "./lister-watcher.ts";
import { objectKey } from "./object-key.ts";
import { ObjectStore, type IndexFunction } from "./object-store.ts";
import { Reflector, type ReflectorTuning } from "./reflector.ts";

/**
 * Reactions to changes in an informer's cache. Handlers must be quick and only enqueue keys:
 * a reconcile reads the cache, it is never driven by the event itself.
 */
export interface EventHandler<T> {
  onAdd?(object: T): void;
  /** Also called with the same object twice on every periodic resync. */
  onUpdate?(oldObject: T, newObject: T): void;
  /** Gets the last known state when the deletion was only noticed by a relist. */
  onDelete?(object: T): void;
}

/** What an informer needs. */
export interface InformerOptions<T extends KubeObject> extends ReflectorTuning {
  /** Names the collection in logs, e.g. "configmaps". */
  resource: string;
  listerWatcher: ListerWatcher<T>;
  clock: RuntimeClock;
  logger: Logger;
  /** Every cached object is re-delivered to `onUpdate` this often; 0 disables; default 10 h. */
  resyncPeriodMs?: number;
  /** Extra indexes of the cache; "namespace" is built in. */
  indexers?: Readonly<Record<string, IndexFunction<T>>>;
  /**
   * Sees every object before it is cached, `managedFields` still included, to keep what it
   * needs of them (they are dropped right after); must not throw.
   */
  inspect?: (object: T) => void;
}

/** Anything keys can be added to; a work queue. */
export interface KeySink {
  add(key: string): void;
}

/**
 * Which updates of a watched object can change the outcome of a reconcile; the others (e.g.
 * a status field the reconciler never reads) enqueue nothing. Resyncs pass the same object
 * twice, so a predicate that compares fields also filters them out.
 */
export type UpdateFilter<T> = (oldObject: T, newObject: T) => boolean;

/**
 * A handler that adds the key of every added, updated or deleted object to `queue`, or the
 * keys `toKeys` maps it to (e.g. the owner of a child object); with `updateMatters`, only the
 * updates it accepts.
 */
export function enqueueKeys<T extends KubeObject>(
  queue: KeySink,
  toKeys: (object: T) => readonly string[] = (object) => [objectKey(object)],
  updateMatters?: UpdateFilter<T>,
): EventHandler<T> {
  const enqueue = (object: T): void => {
    for (const key of toKeys(object)) queue.add(key);
  };
  return {
    onAdd: enqueue,
    onUpdate: (old, object) => {
      if (updateMatters === undefined || updateMatters(old, object)) enqueue(object);
    },
    onDelete: enqueue,
  };
}

function withoutManagedFields<T extends KubeObject>(object: T, inspect: ((object: T) => void) | undefined): T {
  inspect?.(object);
  // Objects come straight from JSON.parse and are owned by the cache, so this edits in place.
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}

/**
 * A cache of one collection kept current by a {@link Reflector}, with indexes and event
 * handlers, like client-go's shared index informer:
 * - `metadata.managedFields` is dropped from every cached object, after `inspect` saw it;
 * - handlers see adds, updates (skipped when the resourceVersion did not change) and deletes,
 *   including those a relist discovers, and a periodic resync; a handler added late first
 *   gets an add for every cached object; a throwing handler is logged and does not disturb
 *   the others or the cache;
 * - `hasSynced` turns true after the first complete list and stays true.
 */
export class SharedInformer<T extends KubeObject> {
  readonly resource: string;
  readonly #options: InformerOptions<T>;
  readonly #store: ObjectStore<T>;
  readonly #handlers = new Set<EventHandler<T>>();
  readonly #syncWaiters = new Set<() => void>();
  readonly #logger: Logger;
  readonly #resyncPeriodMs: number;
  #reflector: Reflector<T> | undefined;
  #synced = false;
  #running = false;

  constructor(options: InformerOptions<T>) {
    this.resource = options.resource;
    this.#options = options;
    this.#logger = options.logger.child({ resource: options.resource });
    this.#resyncPeriodMs = options.resyncPeriodMs ?? 10 * 60 * 60 * 1000;
    if (!Number.isFinite(this.#resyncPeriodMs) || this.#resyncPeriodMs < 0) {
      throw new RangeError(`resyncPeriodMs must be a finite number >= 0, got ${String(options.resyncPeriodMs)}`);
    }
    const indexerOptions = options.indexers === undefined ? {} : { indexers: options.indexers };
    this.#store = new ObjectStore<T>({
      ...indexerOptions,
      onIndexError: (index, key, error) => { this.#logger.error({ index, key, err: error }, "index function failed"); },
    });
  }

  /** Registers `handler`; returns a function that unregisters it. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.#handlers.add(handler);
    for (const object of this.#store.list()) this.#call("onAdd", () => handler.onAdd?.(object));
    return () => {
      this.#handlers.delete(handler);
    };
  }

  /**
   * Lists and watches until `signal` aborts, restarting on every failure; resolves once
   * stopped. Throws when the informer is already running.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error(`informer for ${this.resource} is already running`);
    this.#running = true;
    const reflector = new Reflector<T>({
      ...this.#options,
      sink: { replace: (items) => { this.#replace(items); }, apply: (event) => { this.#apply(event); } },
    });
    this.#reflector = reflector;
    let resyncTimer: TimerHandle | undefined;
    const scheduleResync = (): void => {
      resyncTimer = this.#options.clock.setTimer(this.#resyncPeriodMs, () => {
        this.#resync();
        scheduleResync();
      });
    };
    if (this.#resyncPeriodMs > 0) scheduleResync();
    this.#logger.info({ resyncPeriodMs: this.#resyncPeriodMs }, "informer started");
    try {
      await reflector.run(signal);
    } finally {
      resyncTimer?.cancel();
      this.#running = false;
      this.#logger.info("informer stopped");
    }
  }

  /** True once the cache has held a complete list. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves `true` when the cache has synced, `false` if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onSynced = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      };
      const onAbort = (): void => {
        this.#syncWaiters.delete(onSynced);
        resolve(false);
      };
      this.#syncWaiters.add(onSynced);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** The resourceVersion the cache is current with ("" before the first list). */
  lastSyncResourceVersion(): string {
    return this.#reflector?.lastSyncResourceVersion ?? "";
  }

  /** The cached object with key `namespace/name` (or `name`). Do not mutate it. */
  get(key: string): T | undefined {
    return this.#store.get(key);
  }

  /** Every cached object. Do not mutate them. */
  list(): T[] {
    return this.#store.list();
  }

  /** Cached objects of one namespace ("" for cluster-scoped objects). */
  listByNamespace(namespace: string): T[] {
    return this.#store.listByNamespace(namespace);
  }

  /** Cached objects found under `value` in the index `index`. Throws on an unknown index. */
  byIndex(index: string, value: string): T[] {
    return this.#store.byIndex(index, value);
  }

  #replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const object = withoutManagedFields(item, this.#options.inspect);
      seen.add(objectKey(object));
      this.#upsert(object);
    }
    for (const key of this.#store.keys()) {
      if (seen.has(key)) continue;
      const removed = this.#store.remove(key);
      if (removed !== undefined) this.#notifyDelete(removed);
    }
    if (!this.#synced) {
      this.#synced = true;
      this.#logger.info({ count: this.#store.size }, "informer synced");
      for (const waiter of this.#syncWaiters) waiter();
      this.#syncWaiters.clear();
    }
  }

  #apply(event: ObjectWatchEvent<T>): void {
    const object = withoutManagedFields(event.object, this.#options.inspect);
    if (event.type === "DELETED") {
      this.#store.remove(objectKey(object));
      this.#notifyDelete(object);
      return;
    }
    this.#upsert(object);
  }

  #upsert(object: T): void {
    const previous = this.#store.upsert(object);
    if (previous === undefined) {
      for (const handler of this.#handlers) this.#call("onAdd", () => handler.onAdd?.(object));
      return;
    }
    if (previous.metadata?.resourceVersion === object.metadata?.resourceVersion) return;
    for (const handler of this.#handlers) this.#call("onUpdate", () => handler.onUpdate?.(previous, object));
  }

  #notifyDelete(object: T): void {
    for (const handler of this.#handlers) this.#call("onDelete", () => handler.onDelete?.(object));
  }

  #resync(): void {
    if (!this.#synced) return;
    for (const object of this.#store.list()) {
      for (const handler of this.#handlers) this.#call("onUpdate", () => handler.onUpdate?.(object, object));
    }
  }

  #call(event: string, deliver: () => void): void {
    try {
      deliver();
    } catch (error: unknown) {
      this.#logger.error({ event, err: error }, "event handler failed");
    }
  }
}
