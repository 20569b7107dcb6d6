import type { KubeObject } from "./kube-object.ts";
import { objectKey } from "./object-key.ts";

/** Computes the values under which an object is found in an index. */
export type IndexFunction<T> = (object: T) => readonly string[];

/** Name of the built-in index of objects by `metadata.namespace` ("" for cluster-scoped). */
export const namespaceIndex = "namespace";

/** Options of an object store. */
export interface ObjectStoreOptions<T> {
  /** Extra indexes by name; "namespace" is built in and cannot be redefined. */
  indexers?: Readonly<Record<string, IndexFunction<T>>>;
  /** Told when an index function throws; the object is then absent from that index. */
  onIndexError?: (index: string, key: string, error: unknown) => void;
}

/**
 * An in-memory cache of objects by key (`namespace/name`) with secondary indexes that always
 * agree with the cached objects. Objects are stored as given: callers must not mutate them.
 */
export class ObjectStore<T extends KubeObject> {
  readonly #objects = new Map<string, T>();
  readonly #indexers: ReadonlyMap<string, IndexFunction<T>>;
  /** index name → index value → keys */
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  /** key → index name → the values the object was indexed under */
  readonly #indexedValues = new Map<string, Map<string, readonly string[]>>();
  readonly #onIndexError: (index: string, key: string, error: unknown) => void;

  constructor(options: ObjectStoreOptions<T> = {}) {
    const custom = Object.entries(options.indexers ?? {});
    if (custom.some(([name]) => name === namespaceIndex)) {
      throw new TypeError(`indexers.${namespaceIndex}: this index is built in and cannot be redefined`);
    }
    this.#indexers = new Map<string, IndexFunction<T>>([
      [namespaceIndex, (object) => [object.metadata?.namespace ?? ""]],
      ...custom,
    ]);
    for (const name of this.#indexers.keys()) this.#indexes.set(name, new Map());
    this.#onIndexError = options.onIndexError ?? (() => undefined);
  }

  /** The object cached under `key`, if any. */
  get(key: string): T | undefined {
    return this.#objects.get(key);
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.#objects.values()];
  }

  /** Every cached key. */
  keys(): string[] {
    return [...this.#objects.keys()];
  }

  /** Number of cached objects. */
  get size(): number {
    return this.#objects.size;
  }

  /** Cached objects of `namespace` ("" for cluster-scoped objects). */
  listByNamespace(namespace: string): T[] {
    return this.byIndex(namespaceIndex, namespace);
  }

  /** Cached objects whose index function returned `value`. Throws on an unknown index. */
  byIndex(index: string, value: string): T[] {
    const values = this.#indexes.get(index);
    if (values === undefined) throw new RangeError(`index ${JSON.stringify(index)} is not defined on this store`);
    const keys = values.get(value) ?? new Set<string>();
    const found: T[] = [];
    for (const key of keys) {
      const object = this.#objects.get(key);
      if (object !== undefined) found.push(object);
    }
    return found;
  }

  /** Caches `object` under its key and returns the object it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKey(object);
    const previous = this.#objects.get(key);
    if (previous !== undefined) this.#unindex(key);
    this.#objects.set(key, object);
    this.#index(key, object);
    return previous;
  }

  /** Removes the object cached under `key` and returns it. */
  remove(key: string): T | undefined {
    const previous = this.#objects.get(key);
    if (previous === undefined) return undefined;
    this.#unindex(key);
    this.#objects.delete(key);
    return previous;
  }

  #valuesOf(index: string, indexFunction: IndexFunction<T>, key: string, object: T): readonly string[] {
    try {
      return indexFunction(object);
    } catch (error: unknown) {
      this.#onIndexError(index, key, error);
      return [];
    }
  }

  #index(key: string, object: T): void {
    const entries = new Map<string, readonly string[]>();
    for (const [index, indexFunction] of this.#indexers) {
      const indexed = this.#indexes.get(index);
      if (indexed === undefined) continue;
      const values = this.#valuesOf(index, indexFunction, key, object);
      entries.set(index, values);
      for (const value of values) {
        let keys = indexed.get(value);
        if (keys === undefined) {
          keys = new Set();
          indexed.set(value, keys);
        }
        keys.add(key);
      }
    }
    this.#indexedValues.set(key, entries);
  }

  #unindex(key: string): void {
    const entries = this.#indexedValues.get(key);
    if (entries === undefined) return;
    for (const [index, values] of entries) {
      const indexed = this.#indexes.get(index);
      for (const value of values) {
        const keys = indexed?.get(value);
        keys?.delete(key);
        if (keys?.size === 0) indexed?.delete(value);
      }
    }
    this.#indexedValues.delete(key);
  }
}
