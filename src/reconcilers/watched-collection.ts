import type { EventHandler, SharedInformer } from "../runtime/informer.ts";
import type { InformerFactory } from "../runtime/informer-factory.ts";
import type { KubeObject } from "../runtime/kube-object.ts";

/** Where a kind's collection lives in the API. */
export interface CollectionSpec {
  /** Names the collection in logs, e.g. "jobs". */
  readonly resource: string;
  /** `""` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly labelSelector?: string;
  /** Cache metadata only: objects are `PartialObjectMetadata`, without spec, status or data. */
  readonly metadataOnly?: boolean;
  /** Sees each object with its `managedFields` before it is cached (see `InformerRequest.inspect`). */
  readonly inspect?: (object: KubeObject) => void;
}

/**
 * One kind's cached objects over the watched namespaces: one informer for the whole cluster,
 * or one per namespace when the operator is limited to some. Reads never touch the API.
 */
export class WatchedCollection<T extends KubeObject> {
  readonly #cluster: SharedInformer<T> | undefined;
  readonly #byNamespace: ReadonlyMap<string, SharedInformer<T>>;

  constructor(informers: { cluster: SharedInformer<T> } | { byNamespace: ReadonlyMap<string, SharedInformer<T>> }) {
    this.#cluster = "cluster" in informers ? informers.cluster : undefined;
    this.#byNamespace = "byNamespace" in informers ? informers.byNamespace : new Map();
  }

  #informers(): SharedInformer<T>[] {
    return this.#cluster === undefined ? [...this.#byNamespace.values()] : [this.#cluster];
  }

  #informerOf(namespace: string): SharedInformer<T> | undefined {
    return this.#cluster ?? this.#byNamespace.get(namespace);
  }

  /** The cached object `namespace/name`; undefined outside the watched namespaces. */
  get(namespace: string, name: string): T | undefined {
    return this.#informerOf(namespace)?.get(`${namespace}/${name}`);
  }

  /** Cached objects of one namespace. */
  listByNamespace(namespace: string): T[] {
    return this.#informerOf(namespace)?.listByNamespace(namespace) ?? [];
  }

  /** Every cached object. */
  list(): T[] {
    return this.#informers().flatMap((informer) => informer.list());
  }

  /** True once every informer has listed its collection. */
  hasSynced(): boolean {
    return this.#informers().every((informer) => informer.hasSynced());
  }

  /** Resolves true once synced, false when `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all(this.#informers().map((informer) => informer.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Registers `handler` on every informer; returns a function that unregisters it. */
  addEventHandler(handler: EventHandler<T>): () => void {
    const removers = this.#informers().map((informer) => informer.addEventHandler(handler));
    return () => {
      for (const remove of removers) remove();
    };
  }
}

function collectionPath(spec: CollectionSpec, namespace: string | undefined): string {
  const root = spec.group === "" ? `/api/${spec.version}` : `/apis/${spec.group}/${spec.version}`;
  return namespace === undefined ? `${root}/${spec.plural}` : `${root}/namespaces/${namespace}/${spec.plural}`;
}

/**
 * The collection of `spec` from the shared informer factory: cluster-wide when `namespaces` is
 * empty, else one informer per namespace. Informers are shared with every other user of the
 * factory; whoever owns the factory starts it.
 */
export function watchCollection<T extends KubeObject>(
  factory: InformerFactory,
  spec: CollectionSpec,
  namespaces: readonly string[],
): WatchedCollection<T> {
  const request = (namespace: string | undefined) => ({
    path: collectionPath(spec, namespace),
    resource: spec.resource,
    ...(spec.labelSelector === undefined ? {} : { labelSelector: spec.labelSelector }),
    ...(spec.metadataOnly === true ? { metadataOnly: true } : {}),
    ...(spec.inspect === undefined ? {} : { inspect: spec.inspect }),
  });
  if (namespaces.length === 0) return new WatchedCollection<T>({ cluster: factory.informerFor<T>(request(undefined)) });
  return new WatchedCollection<T>({
    byNamespace: new Map(namespaces.map((namespace) => [namespace, factory.informerFor<T>(request(namespace))])),
  });
}
