import { randomBytes } from "node:crypto";

// Seeded 32-bit hashing for the open-addressing tables of a feed index. A table's seed is random,
// so a hostile feed cannot choose values that collide and turn its load quadratic.

/** A random seed for one table. */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

/** Murmur3's finaliser: spreads every input bit over the result. */
export function mix32(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Folds one 32-bit word into a running hash. */
export function fold32(hash: number, word: number): number {
  return Math.imul((hash ^ mix32(word)) >>> 0, 0x9e3779b1) + 0x7f4a7c15;
}

/** The hash of the characters `text[start, end)` (char codes, FNV-1a, finalised). */
export function hashText(seed: number, text: string, start: number, end: number): number {
  let hash = (seed ^ 0x811c9dc5) >>> 0;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return mix32((hash ^ (end - start)) >>> 0);
}

/** The hash of `bytes[start, start + length)` taken four bytes at a time. */
export function hashBytes(seed: number, bytes: Uint8Array, start: number, length: number): number {
  let hash = seed;
  for (let index = start; index < start + length; index += 4) {
    hash = fold32(hash, ((bytes[index] ?? 0) << 24) | ((bytes[index + 1] ?? 0) << 16) | ((bytes[index + 2] ?? 0) << 8) | (bytes[index + 3] ?? 0));
  }
  return mix32(hash >>> 0);
}
