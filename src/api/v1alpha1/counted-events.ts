import { createHash } from "node:crypto";

/** Characters of one entry of `status.countedEvents`: 48 bits, base64url. */
export const COUNTED_EVENT_KEY_LENGTH = 8;

/** Bytes of one entry (48 bits: exactly 8 base64 characters, no padding). */
const KEY_BYTES = 6;

/**
 * The entry of `status.countedEvents` for an event hash (`eventHash(source, id)`): 48 bits of
 * its SHA-256 as 8 base64url characters. Within one Incident of n counted events a new event
 * is mistaken for a counted one with probability n / 2^48 (below 4e-11 at the bound).
 */
export function countedEventKey(hash: string): string {
  return createHash("sha256").update(hash, "utf8").digest().subarray(0, KEY_BYTES).toString("base64url");
}

/** The entries of a `status.countedEvents` value, in the order they were counted. */
export function countedEventKeys(packed: string | undefined): string[] {
  const keys: string[] = [];
  if (packed === undefined) return keys;
  for (let at = 0; at + COUNTED_EVENT_KEY_LENGTH <= packed.length; at += COUNTED_EVENT_KEY_LENGTH) {
    keys.push(packed.slice(at, at + COUNTED_EVENT_KEY_LENGTH));
  }
  return keys;
}

/** The `status.countedEvents` value of entries, in order: their concatenation. */
export function packCountedEvents(keys: readonly string[]): string {
  return keys.join("");
}
