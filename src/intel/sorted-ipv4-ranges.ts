import type { PrefixTable, TagValidity } from "./prefix-table.ts";

const STRIDE = 4;
const NETWORK = 0;
const PREFIX = 1;
const PARENT = 2;
const TAG = 3;
const BLOCK_SHIFT = 16;
const BLOCKS = 1 << 16;
const PREFIX_SPAN = 64;

/**
 * IPv4 addresses and ranges, frozen for lookups: entries sorted by (network, prefix length), each
 * with the index of its nearest enclosing range, and the first entry of each /16 block. The most
 * specific range holding a value is an ancestor of the value's predecessor (the last entry not
 * after it), as CIDR ranges nest, so a lookup is a binary search inside the value's /16 block
 * followed by a walk up at most 33 enclosing ranges. 16 bytes an entry, plus 256 KiB of block
 * index; a lookup reads the block index and one or two cache lines of entries.
 */
export class SortedIPv4Ranges {
  /** The number of entries. */
  readonly size: number;
  /** Four words an entry: network, prefix length, enclosing entry (or -1), tag. */
  private readonly entries: Int32Array;
  private readonly blockStarts: Uint32Array;

  private constructor(entries: Int32Array, blockStarts: Uint32Array) {
    this.entries = entries;
    this.blockStarts = blockStarts;
    this.size = entries.length / STRIDE;
  }

  /** The entries of a table of IPv4 ranges, frozen. */
  static from(table: PrefixTable): SortedIPv4Ranges {
    const keys = new Float64Array(table.size);
    let count = 0;
    table.forEachEntry((words, prefix) => {
      keys[count++] = (words[0] ?? 0) * PREFIX_SPAN + prefix;
    });
    keys.sort();
    const entries = new Int32Array(keys.length * STRIDE);
    const blockStarts = new Uint32Array(BLOCKS + 1);
    const word = new Uint32Array(1);
    const open: number[] = [];
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] ?? 0;
      const prefix = key % PREFIX_SPAN;
      const network = (key - prefix) / PREFIX_SPAN;
      word[0] = network;
      while (open.length > 0 && !holds(entries, open.at(-1) ?? 0, network, prefix)) open.pop();
      const base = index * STRIDE;
      entries[base + NETWORK] = network | 0;
      entries[base + PREFIX] = prefix;
      entries[base + PARENT] = open.at(-1) ?? -1;
      entries[base + TAG] = table.tagOf(word, prefix);
      open.push(index);
      blockStarts[(network >>> BLOCK_SHIFT) + 1] = index + 1;
    }
    for (let block = 1; block <= BLOCKS; block++) blockStarts[block] = Math.max(blockStarts[block] ?? 0, blockStarts[block - 1] ?? 0);
    return new SortedIPv4Ranges(entries, blockStarts);
  }

  /** No entries. */
  static empty(): SortedIPv4Ranges {
    return new SortedIPv4Ranges(new Int32Array(0), new Uint32Array(BLOCKS + 1));
  }

  /**
   * The entry of the longest range holding the range `word/prefix` (an address when `prefix` is
   * 32) whose tag is valid at `now`, or -1.
   */
  find(word: number, prefix: number, validity: TagValidity, now: number): number {
    const block = word >>> BLOCK_SHIFT;
    let low = this.blockStarts[block] ?? 0;
    let high = this.blockStarts[block + 1] ?? 0;
    let entry = low - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const network = (this.entries[middle * STRIDE + NETWORK] ?? 0) >>> 0;
      if (network < word || (network === word && (this.entries[middle * STRIDE + PREFIX] ?? 0) <= prefix)) {
        entry = middle;
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    while (entry >= 0) {
      const base = entry * STRIDE;
      const held = this.entries[base + PREFIX] ?? 0;
      if (held <= prefix && holds(this.entries, entry, word, prefix) && validity.validAt(this.entries[base + TAG] ?? 0, now)) return entry;
      entry = this.entries[base + PARENT] ?? -1;
    }
    return -1;
  }

  /** The network of an entry `find` returned. */
  networkAt(entry: number): number {
    return (this.entries[entry * STRIDE + NETWORK] ?? 0) >>> 0;
  }

  /** The prefix length of an entry `find` returned. */
  prefixAt(entry: number): number {
    return this.entries[entry * STRIDE + PREFIX] ?? 0;
  }

  /** The tag of an entry `find` returned. */
  tagAt(entry: number): number {
    return this.entries[entry * STRIDE + TAG] ?? 0;
  }

  /** Bytes held by the arrays. */
  get byteLength(): number {
    return this.entries.byteLength + this.blockStarts.byteLength;
  }
}

/** True when the range of `entry` holds the range `network/prefix`. */
function holds(entries: Int32Array, entry: number, network: number, prefix: number): boolean {
  const held = entries[entry * STRIDE + PREFIX] ?? 0;
  if (held > prefix) return false;
  const mask = held === 0 ? 0 : (0xffffffff << (32 - held)) >>> 0;
  return ((network & mask) >>> 0) === ((entries[entry * STRIDE + NETWORK] ?? 0) & mask) >>> 0;
}
