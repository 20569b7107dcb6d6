import { hashText, randomSeed } from "./hash-mix.ts";

const INITIAL_CAPACITY = 16;
const INITIAL_BYTES = 1024;

/**
 * ASCII strings packed into one byte array, found through an open-addressing table whose slots
 * hold an entry's number and hash side by side (a probe compares characters only when the hashes
 * agree), with a tag per entry (never 0). A lookup takes a range of a JavaScript string, so a
 * domain's parents are found without slicing it. Memory once trimmed: the string's length plus
 * 8 bytes an entry, and 16 to 32 bytes of table an entry.
 */
export class StringTable {
  /** The number of entries. */
  size = 0;
  private readonly seed = randomSeed();
  private bytes = new Uint8Array(INITIAL_BYTES);
  private byteCount = 0;
  private starts = new Uint32Array(INITIAL_CAPACITY + 1);
  private tags = new Int32Array(INITIAL_CAPACITY);
  /** Two words a slot: the entry number plus one (0 when empty), and the entry's hash. */
  private slots = new Uint32Array(INITIAL_CAPACITY * 2);

  /**
   * Holds `text` (ASCII: every character below 128) with `tag`, replacing the tag of an equal
   * string; true when it is new.
   */
  set(text: string, tag: number): boolean {
    const hash = hashText(this.seed, text, 0, text.length);
    const slot = this.slotOf(text, 0, text.length, hash);
    const found = this.slots[slot * 2] ?? 0;
    if (found !== 0) {
      this.tags[found - 1] = tag;
      return false;
    }
    if ((this.size + 1) * 4 > this.slots.length) {
      this.growSlots();
      return this.set(text, tag);
    }
    if (this.size === this.tags.length) this.growEntries(Math.max(INITIAL_CAPACITY, this.size * 2));
    if (this.byteCount + text.length > this.bytes.length) this.growBytes(Math.max(INITIAL_BYTES, (this.byteCount + text.length) * 2));
    for (let index = 0; index < text.length; index++) this.bytes[this.byteCount + index] = text.charCodeAt(index);
    this.byteCount += text.length;
    this.tags[this.size] = tag;
    this.size++;
    this.starts[this.size] = this.byteCount;
    this.slots[slot * 2] = this.size;
    this.slots[slot * 2 + 1] = hash;
    return true;
  }

  /** The tag of `text[start, end)`, or 0 when it is not held. */
  tagOf(text: string, start: number, end: number): number {
    const entry = this.slots[this.slotOf(text, start, end, hashText(this.seed, text, start, end)) * 2] ?? 0;
    return entry === 0 ? 0 : (this.tags[entry - 1] ?? 0);
  }

  /** Releases the spare room of the entry arrays; call once no more strings come. */
  trim(): void {
    this.growEntries(this.size);
    this.growBytes(this.byteCount);
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.bytes.byteLength + this.starts.byteLength + this.tags.byteLength + this.slots.byteLength;
  }

  /** The slot holding `text[start, end)` (whose hash is `hash`), or the empty slot where it belongs. */
  private slotOf(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length / 2 - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot * 2] ?? 0;
      if (entry === 0 || (this.slots[slot * 2 + 1] === hash && this.equals(entry - 1, text, start, end))) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private equals(entry: number, text: string, start: number, end: number): boolean {
    const from = this.starts[entry] ?? 0;
    if ((this.starts[entry + 1] ?? 0) - from !== end - start) return false;
    for (let index = start; index < end; index++) if (this.bytes[from + index - start] !== text.charCodeAt(index)) return false;
    return true;
  }

  private growEntries(entries: number): void {
    const starts = new Uint32Array(entries + 1);
    starts.set(this.starts.subarray(0, this.size + 1));
    const tags = new Int32Array(entries);
    tags.set(this.tags.subarray(0, this.size));
    this.starts = starts;
    this.tags = tags;
  }

  private growBytes(length: number): void {
    const bytes = new Uint8Array(length);
    bytes.set(this.bytes.subarray(0, this.byteCount));
    this.bytes = bytes;
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
