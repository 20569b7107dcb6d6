import type { StatusOwner, StatusWriter } from "./status-writer.ts";

/**
 * A reconciler's status writes and the cached resourceVersions they replaced, per
 * `namespace/name` key. The cache lags behind a write until the watch brings the write back; a
 * reconcile on an object this process already replaced would compute from stale status, so it
 * does nothing and waits for that watch event (which brings the key back).
 */
export class OwnStatusWrites {
  readonly #write: StatusWriter;
  /** key → resourceVersions that this process's own status writes replaced. */
  readonly #superseded = new Map<string, Set<string>>();

  constructor(write: StatusWriter) {
    this.#write = write;
  }

  /**
   * True when `object` is a version of `key` that one of this process's own writes replaced
   * since the cache last caught up. When it is not, the cache has caught up and every
   * remembered version of `key` is forgotten.
   */
  cacheIsBehind(key: string, object: StatusOwner<unknown>): boolean {
    if (this.#superseded.get(key)?.has(object.metadata.resourceVersion ?? "") === true) return true;
    this.#superseded.delete(key);
    return false;
  }

  /**
   * Writes `status` as the status of `object` (see {@link StatusWriter}: guarded by its
   * resourceVersion) and remembers that version of `key` as replaced, unless the write changed
   * nothing. Resolves with the object as stored, or undefined when it no longer exists.
   */
  async write<S, T extends StatusOwner<S>>(key: string, object: T, status: S): Promise<T | undefined> {
    const stored = await this.#write<S, T>({ ...object, status });
    if (stored !== undefined) this.replaced(key, object, stored);
    return stored;
  }

  /**
   * Remembers that another write of this process (its labels, say) replaced `object`, the version
   * of `key` it was made on, with `stored`.
   */
  replaced(key: string, object: StatusOwner<unknown>, stored: StatusOwner<unknown>): void {
    const resourceVersion = object.metadata.resourceVersion ?? "";
    // A write that changed nothing keeps the resourceVersion: then the cache is not behind.
    if (stored.metadata.resourceVersion === resourceVersion) return;
    const superseded = this.#superseded.get(key) ?? new Set<string>();
    superseded.add(resourceVersion);
    this.#superseded.set(key, superseded);
  }

  /** Forgets `key`, whose object is gone. */
  forget(key: string): void {
    this.#superseded.delete(key);
  }
}
