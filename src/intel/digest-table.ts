import { hashBytes, randomSeed } from "./hash-mix.ts";

const INITIAL_CAPACITY = 16;
const STRIDE = 3;
const TAG = 0;
const HASH = 1;
const ENTRY = 2;

/**
 * Hash digests of one length in one byte array, found through an open-addressing table whose
 * slots hold an entry's tag (never 0: 0 marks an empty slot), hash and number side by side, so a
 * miss reads one slot and a hit one slot and the digest. Memory once trimmed: the digest's length
 * an entry, and 24 to 48 bytes of table an entry.
 */
export class DigestTable {
  /** The length of a digest in bytes. */
  readonly digestLength: number;
  /** The number of entries. */
  size = 0;
  private readonly seed = randomSeed();
  private digests: Uint8Array;
  private slots = new Uint32Array(INITIAL_CAPACITY * STRIDE);

  constructor(digestLength: number) {
    this.digestLength = digestLength;
    this.digests = new Uint8Array(INITIAL_CAPACITY * digestLength);
  }

  /** Holds `digest` (its first `digestLength` bytes) with `tag`, replacing the tag of an equal one; true when it is new. */
  set(digest: Uint8Array, tag: number): boolean {
    const hash = hashBytes(this.seed, digest, 0, this.digestLength);
    const slot = this.slotOf(digest, hash);
    if (this.slots[slot + TAG] !== 0) {
      this.slots[slot + TAG] = tag;
      return false;
    }
    if ((this.size + 1) * 2 * STRIDE > this.slots.length) {
      this.growSlots();
      return this.set(digest, tag);
    }
    if ((this.size + 1) * this.digestLength > this.digests.length) this.growDigests(Math.max(INITIAL_CAPACITY, this.size * 2));
    this.digests.set(digest.subarray(0, this.digestLength), this.size * this.digestLength);
    this.slots[slot + TAG] = tag;
    this.slots[slot + HASH] = hash;
    this.slots[slot + ENTRY] = this.size;
    this.size++;
    return true;
  }

  /** The tag of `digest`, or 0 when it is not held. */
  tagOf(digest: Uint8Array): number {
    return this.slots[this.slotOf(digest, hashBytes(this.seed, digest, 0, this.digestLength)) + TAG] ?? 0;
  }

  /** Releases the spare room of the digest array; call once no more digests come. */
  trim(): void {
    this.growDigests(this.size);
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.digests.byteLength + this.slots.byteLength;
  }

  /** The index of the slot holding `digest` (whose hash is `hash`), or of the empty slot where it belongs. */
  private slotOf(digest: Uint8Array, hash: number): number {
    const mask = this.slots.length / STRIDE - 1;
    let slot = hash & mask;
    for (;;) {
      const base = slot * STRIDE;
      if (this.slots[base + TAG] === 0 || (this.slots[base + HASH] === hash && this.equals(this.slots[base + ENTRY] ?? 0, digest))) return base;
      slot = (slot + 1) & mask;
    }
  }

  private equals(entry: number, digest: Uint8Array): boolean {
    const base = entry * this.digestLength;
    for (let index = 0; index < this.digestLength; index++) if (this.digests[base + index] !== digest[index]) return false;
    return true;
  }

  private growDigests(entries: number): void {
    const digests = new Uint8Array(entries * this.digestLength);
    digests.set(this.digests.subarray(0, this.size * this.digestLength));
    this.digests = digests;
  }

  private growSlots(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    const mask = this.slots.length / STRIDE - 1;
    for (let base = 0; base < old.length; base += STRIDE) {
      if (old[base + TAG] === 0) continue;
      let slot = (old[base + HASH] ?? 0) & mask;
      while (this.slots[slot * STRIDE + TAG] !== 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(base, base + STRIDE), slot * STRIDE);
    }
  }
}
