import { hashText, randomSeed } from "./hash-mix.ts";

const INITIAL_CAPACITY = 16;
const INITIAL_BYTES = 1024;
const STRIDE = 4;
const TAG = 0;
const HASH = 1;
const START = 2;
const LENGTH = 3;

/**
 * ASCII strings packed into one byte array, found through an open-addressing table whose slots
 * hold an entry's tag (never 0: 0 marks an empty slot), hash, start and length side by side, so a
 * miss reads one slot and a hit one slot and the string's bytes. A lookup takes a range of a
 * JavaScript string, so a domain's parents are found without slicing it. Memory once trimmed:
 * the string's length an entry, and 32 to 64 bytes of table an entry.
 */
export class StringTable {
  /** The number of entries. */
  size = 0;
  private readonly seed = randomSeed();
  private bytes = new Uint8Array(INITIAL_BYTES);
  private byteCount = 0;
  private slots = new Uint32Array(INITIAL_CAPACITY * STRIDE);

  /**
   * Holds `text` (ASCII: every character below 128) with `tag`, replacing the tag of an equal
   * string; true when it is new.
   */
  set(text: string, tag: number): boolean {
    const hash = hashText(this.seed, text, 0, text.length);
    const slot = this.slotOf(text, 0, text.length, hash);
    if (this.slots[slot + TAG] !== 0) {
      this.slots[slot + TAG] = tag;
      return false;
    }
    if ((this.size + 1) * 2 * STRIDE > this.slots.length) {
      this.growSlots();
      return this.set(text, tag);
    }
    if (this.byteCount + text.length > this.bytes.length) this.growBytes(Math.max(INITIAL_BYTES, (this.byteCount + text.length) * 2));
    for (let index = 0; index < text.length; index++) this.bytes[this.byteCount + index] = text.charCodeAt(index);
    this.slots[slot + TAG] = tag;
    this.slots[slot + HASH] = hash;
    this.slots[slot + START] = this.byteCount;
    this.slots[slot + LENGTH] = text.length;
    this.byteCount += text.length;
    this.size++;
    return true;
  }

  /** The tag of `text[start, end)`, or 0 when it is not held. */
  tagOf(text: string, start: number, end: number): number {
    return this.slots[this.slotOf(text, start, end, hashText(this.seed, text, start, end)) + TAG] ?? 0;
  }

  /** Releases the spare room of the byte array; call once no more strings come. */
  trim(): void {
    this.growBytes(this.byteCount);
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.bytes.byteLength + this.slots.byteLength;
  }

  /** The index of the slot holding `text[start, end)` (whose hash is `hash`), or of the empty slot where it belongs. */
  private slotOf(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length / STRIDE - 1;
    let slot = hash & mask;
    for (;;) {
      const base = slot * STRIDE;
      if (this.slots[base + TAG] === 0 || (this.slots[base + HASH] === hash && this.equals(base, text, start, end))) return base;
      slot = (slot + 1) & mask;
    }
  }

  private equals(base: number, text: string, start: number, end: number): boolean {
    if (this.slots[base + LENGTH] !== end - start) return false;
    const from = (this.slots[base + START] ?? 0) - start;
    for (let index = start; index < end; index++) if (this.bytes[from + index] !== text.charCodeAt(index)) return false;
    return true;
  }

  private growBytes(length: number): void {
    const bytes = new Uint8Array(length);
    bytes.set(this.bytes.subarray(0, this.byteCount));
    this.bytes = bytes;
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
