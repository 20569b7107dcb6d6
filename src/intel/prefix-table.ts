import { fold32, mix32, randomSeed } from "./hash-mix.ts";

const INITIAL_CAPACITY = 16;

/** Decides whether the entry of a tag is valid at a time. */
export interface TagValidity {
  validAt(tag: number, now: number): boolean;
}

/**
 * IP addresses and ranges of one version in an open-addressing hash table keyed by
 * (network, prefix length), with a tag per entry (never 0, which marks an empty slot). An address
 * is a range of the full length. A lookup probes once per distinct prefix length held, longest
 * first, so it finds the most specific range holding a value in time independent of the size.
 * A slot holds the network's words, the prefix length and the tag side by side, so a probe reads
 * one cache line: 12 bytes a slot for IPv4, 24 for IPv6, two to four slots an entry.
 */
export class PrefixTable {
  /** 32-bit words of an address: 1 for IPv4, 4 for IPv6. */
  readonly wordCount: number;
  /** The number of entries. */
  size = 0;
  private readonly stride: number;
  private readonly seed = randomSeed();
  private capacity = INITIAL_CAPACITY;
  private slots: Uint32Array;
  private readonly entriesByPrefix: Uint32Array;
  private prefixesHeld: readonly number[] = [];
  private readonly probe = new Uint32Array(4);

  constructor(wordCount: 1 | 4) {
    this.wordCount = wordCount;
    this.stride = wordCount + 2;
    this.slots = new Uint32Array(INITIAL_CAPACITY * this.stride);
    this.entriesByPrefix = new Uint32Array(wordCount * 32 + 1);
  }

  /**
   * Holds the range `words/prefix` (host bits already clear) with `tag`, replacing the tag of an
   * equal range; true when the range is new.
   */
  set(words: ArrayLike<number>, prefix: number, tag: number): boolean {
    const slot = this.slotOf(words, prefix);
    if (this.tagAt(slot) !== 0) {
      this.slots[slot * this.stride + this.wordCount + 1] = tag;
      return false;
    }
    if ((this.size + 1) * 2 > this.capacity) {
      this.grow();
      return this.set(words, prefix, tag);
    }
    this.place(slot, words, prefix, tag);
    this.size++;
    if (this.entriesByPrefix[prefix] === 0) this.prefixesHeld = [...this.prefixesHeld, prefix].sort((a, b) => b - a);
    this.entriesByPrefix[prefix] = (this.entriesByPrefix[prefix] ?? 0) + 1;
    return true;
  }

  /** True when the range `words/prefix` (host bits clear) is held. */
  has(words: ArrayLike<number>, prefix: number): boolean {
    return this.tagOf(words, prefix) !== 0;
  }

  /** The tag of the range `words/prefix` (host bits clear), or 0 when it is not held. */
  tagOf(words: ArrayLike<number>, prefix: number): number {
    return this.tagAt(this.slotOf(words, prefix));
  }

  /** Calls `visit` with the network (a view, valid during the call), prefix length and tag of every entry. */
  forEachEntry(visit: (words: Uint32Array, prefix: number, tag: number) => void): void {
    for (let slot = 0; slot < this.capacity; slot++) {
      const tag = this.tagAt(slot);
      const base = slot * this.stride;
      if (tag !== 0) visit(this.slots.subarray(base, base + this.wordCount), this.prefixAt(slot), tag);
    }
  }

  /**
   * The slot of the longest range of at most `maxPrefix` bits holding `words` whose tag is valid
   * at `now`, or -1.
   */
  find(words: ArrayLike<number>, maxPrefix: number, validity: TagValidity, now: number): number {
    for (const prefix of this.prefixesHeld) {
      if (prefix > maxPrefix) continue;
      const slot = this.probeAt(words, prefix, validity, now);
      if (slot >= 0) return slot;
    }
    return -1;
  }

  /** The tag of a slot (0 when empty). */
  tagAt(slot: number): number {
    return this.slots[slot * this.stride + this.wordCount + 1] ?? 0;
  }

  /** The prefix length of a slot `find` returned. */
  prefixAt(slot: number): number {
    return this.slots[slot * this.stride + this.wordCount] ?? 0;
  }

  /** The network of a slot `find` returned, copied into `into`. */
  wordsAt(slot: number, into: Uint32Array): Uint32Array {
    for (let word = 0; word < this.wordCount; word++) into[word] = this.slots[slot * this.stride + word] ?? 0;
    return into;
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** The slot of the range of `prefix` bits holding `words` when it is held and valid at `now`, else -1. */
  private probeAt(words: ArrayLike<number>, prefix: number, validity: TagValidity, now: number): number {
    for (let word = 0; word < this.wordCount; word++) {
      const kept = prefix - word * 32;
      const value = words[word] ?? 0;
      this.probe[word] = kept >= 32 ? value : kept <= 0 ? 0 : value & (0xffffffff << (32 - kept));
    }
    const slot = this.slotOf(this.probe, prefix);
    const tag = this.tagAt(slot);
    return tag !== 0 && validity.validAt(tag, now) ? slot : -1;
  }

  /** The slot holding `words/prefix`, or the empty slot where it belongs. */
  private slotOf(words: ArrayLike<number>, prefix: number): number {
    const mask = this.capacity - 1;
    let hash = this.seed;
    for (let word = 0; word < this.wordCount; word++) hash = fold32(hash, words[word] ?? 0);
    let slot = mix32(fold32(hash, prefix) >>> 0) & mask;
    while (this.tagAt(slot) !== 0 && !this.holds(slot, words, prefix)) slot = (slot + 1) & mask;
    return slot;
  }

  private holds(slot: number, words: ArrayLike<number>, prefix: number): boolean {
    const base = slot * this.stride;
    if (this.slots[base + this.wordCount] !== prefix) return false;
    for (let word = 0; word < this.wordCount; word++) if (this.slots[base + word] !== (words[word] ?? 0) >>> 0) return false;
    return true;
  }

  private place(slot: number, words: ArrayLike<number>, prefix: number, tag: number): void {
    const base = slot * this.stride;
    for (let word = 0; word < this.wordCount; word++) this.slots[base + word] = words[word] ?? 0;
    this.slots[base + this.wordCount] = prefix;
    this.slots[base + this.wordCount + 1] = tag;
  }

  private grow(): void {
    const old = this.slots;
    const oldCapacity = this.capacity;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * this.stride);
    for (let slot = 0; slot < oldCapacity; slot++) {
      const base = slot * this.stride;
      const tag = old[base + this.wordCount + 1] ?? 0;
      if (tag === 0) continue;
      const words = old.subarray(base, base + this.wordCount);
      const prefix = old[base + this.wordCount] ?? 0;
      this.place(this.slotOf(words, prefix), words, prefix, tag);
    }
  }
}

