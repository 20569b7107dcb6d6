/**
 * A map that keeps the most recently used entries (read or written) within two bounds: an entry
 * count and a total weight (for example the bytes of the keys; unbounded unless given).
 * Inserting past either bound evicts the least recently used entries; an entry heavier than the
 * whole weight bound is not kept.
 */
export class LruCache<K, V> {
  readonly #maxEntries: number;
  readonly #maxWeight: number;
  readonly #entries = new Map<K, { value: V; weight: number }>();
  #weight = 0;

  constructor(maxEntries: number, maxWeight = Number.POSITIVE_INFINITY) {
    this.#maxEntries = maxEntries;
    this.#maxWeight = maxWeight;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` (of `weight`, none unless given) as the most recently used entry, then evicts until both bounds hold. */
  set(key: K, value: V, weight = 0): void {
    this.delete(key);
    if (weight > this.#maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#weight <= this.#maxWeight) break;
      this.#entries.delete(oldest);
      this.#weight -= entry.weight;
    }
  }

  /** Removes `key` if present. */
  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Total weight of the entries held. */
  get weight(): number {
    return this.#weight;
  }
}
