import { hashBytes, randomSeed } from "./hash-mix.ts";

const INITIAL_CAPACITY = 16;

/**
 * Hash digests of one length in one byte array, found through an open-addressing table whose
 * slots hold an entry's number and hash side by side (a probe compares digests only when the
 * hashes agree), with a tag per entry (never 0). Memory once trimmed: the digest's length plus 4
 * bytes an entry, and 16 to 32 bytes of table an entry.
 */
export class DigestTable {
  /** The length of a digest in bytes. */
  readonly digestLength: number;
  /** The number of entries. */
  size = 0;
  private readonly seed = randomSeed();
  private digests: Uint8Array;
  private tags: Int32Array;
  /** Two words a slot: the entry number plus one (0 when empty), and the entry's hash. */
  private slots = new Uint32Array(INITIAL_CAPACITY * 2);

  constructor(digestLength: number) {
    this.digestLength = digestLength;
    this.digests = new Uint8Array(INITIAL_CAPACITY * digestLength);
    this.tags = new Int32Array(INITIAL_CAPACITY);
  }

  /** Holds `digest` (its first `digestLength` bytes) with `tag`, replacing the tag of an equal one; true when it is new. */
  set(digest: Uint8Array, tag: number): boolean {
    const hash = hashBytes(this.seed, digest, 0, this.digestLength);
    const slot = this.slotOf(digest, hash);
    const found = this.slots[slot * 2] ?? 0;
    if (found !== 0) {
      this.tags[found - 1] = tag;
      return false;
    }
    if ((this.size + 1) * 4 > this.slots.length) {
      this.growSlots();
      return this.set(digest, tag);
    }
    if (this.size === this.tags.length) this.growEntries(Math.max(INITIAL_CAPACITY, this.size * 2));
    this.digests.set(digest.subarray(0, this.digestLength), this.size * this.digestLength);
    this.tags[this.size] = tag;
    this.size++;
    this.slots[slot * 2] = this.size;
    this.slots[slot * 2 + 1] = hash;
    return true;
  }

  /** The tag of `digest`, or 0 when it is not held. */
  tagOf(digest: Uint8Array): number {
    const entry = this.slots[this.slotOf(digest, hashBytes(this.seed, digest, 0, this.digestLength)) * 2] ?? 0;
    return entry === 0 ? 0 : (this.tags[entry - 1] ?? 0);
  }

  /** Releases the spare room of the entry arrays; call once no more digests come. */
  trim(): void {
    this.growEntries(this.size);
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.digests.byteLength + this.tags.byteLength + this.slots.byteLength;
  }

  /** The slot holding `digest` (whose hash is `hash`), or the empty slot where it belongs. */
  private slotOf(digest: Uint8Array, hash: number): number {
    const mask = this.slots.length / 2 - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot * 2] ?? 0;
      if (entry === 0 || (this.slots[slot * 2 + 1] === hash && this.equals(entry - 1, digest))) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private equals(entry: number, digest: Uint8Array): boolean {
    const base = entry * this.digestLength;
    for (let index = 0; index < this.digestLength; index++) if (this.digests[base + index] !== digest[index]) return false;
    return true;
  }

  private growEntries(entries: number): void {
    const digests = new Uint8Array(entries * this.digestLength);
    digests.set(this.digests.subarray(0, this.size * this.digestLength));
    const tags = new Int32Array(entries);
    tags.set(this.tags.subarray(0, this.size));
    this.digests = digests;
    this.tags = tags;
  }

  private growSlots(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    const mask = this.slots.length / 2 - 1;
    for (let slot = 0; slot < old.length / 2; slot++) {
      const entry = old[slot * 2] ?? 0;
      if (entry === 0) continue;
      const hash = old[slot * 2 + 1] ?? 0;
      let target = hash & mask;
      while (this.slots[target * 2] !== 0) target = (target + 1) & mask;
      this.slots[target * 2] = entry;
      this.slots[target * 2 + 1] = hash;
    }
  }
}
