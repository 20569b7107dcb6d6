/**
 * IP addresses and CIDR ranges as numbers, and their canonical text. An address is held in a
 * caller's `Uint32Array`: IPv4 in word 0, IPv6 in words 0..3 (big-endian, word 0 the most
 * significant). Parsing reads characters once, without regular expressions, so it is linear on
 * any input.
 */

/** The version and prefix length of a parsed address or range (an address has the full length). */
export interface IpRange {
  readonly version: 4 | 6;
  readonly prefix: number;
}

const COLON = 58;
const DOT = 46;
const ZERO = 48;
const MAPPED_PREFIX = 96;

/**
 * The IPv4 address of `text[start, end)` in dotted-quad form as an unsigned 32-bit number, or
 * -1: four decimal parts of at most 255 without leading zeros (`010.0.0.1` is refused, as an
 * octal reading would differ).
 */
export function parseIPv4(text: string, start = 0, end = text.length): number {
  let word = 0;
  let parts = 0;
  let index = start;
  while (parts < 4) {
    const partStart = index;
    let part = 0;
    while (index < end && index - partStart < 3) {
      const digit = text.charCodeAt(index) - ZERO;
      if (digit < 0 || digit > 9) break;
      part = part * 10 + digit;
      index++;
    }
    const length = index - partStart;
    if (length === 0 || part > 255 || (length > 1 && text.charCodeAt(partStart) === ZERO)) return -1;
    word = word * 256 + part;
    parts++;
    if (parts < 4) {
      if (index >= end || text.charCodeAt(index) !== DOT) return -1;
      index++;
    }
  }
  return index === end ? word : -1;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Parses the IPv6 address of `text[start, end)` into `words[0..3]`; false when it is not one.
 * Accepts groups of one to four hex digits, one `::`, and a trailing dotted IPv4 address;
 * refuses a zone (`%eth0`).
 */
export function parseIPv6(text: string, words: Uint32Array, start = 0, end = text.length): boolean {
  const groups = new Uint16Array(8);
  let count = 0;
  let gap = -1;
  let index = start;
  if (end - start >= 2 && text.charCodeAt(start) === COLON && text.charCodeAt(start + 1) === COLON) {
    gap = 0;
    index += 2;
  } else if (index < end && text.charCodeAt(index) === COLON) {
    return false;
  }
  while (index < end) {
    if (count === 8) return false;
    const groupStart = index;
    let group = 0;
    while (index < end && index - groupStart < 4) {
      const digit = hexDigit(text.charCodeAt(index));
      if (digit < 0) break;
      group = group * 16 + digit;
      index++;
    }
    if (index < end && text.charCodeAt(index) === DOT) {
      if (count > 6) return false;
      const v4 = parseIPv4(text, groupStart, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (index === groupStart) return false;
    groups[count++] = group;
    if (index === end) break;
    if (text.charCodeAt(index) !== COLON) return false;
    index++;
    if (index < end && text.charCodeAt(index) === COLON) {
      if (gap >= 0) return false;
      gap = count;
      index++;
    } else if (index === end) {
      return false;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const full = new Uint16Array(8);
  if (gap < 0) full.set(groups);
  else {
    full.set(groups.subarray(0, gap), 0);
    full.set(groups.subarray(gap, count), 8 - (count - gap));
  }
  for (let word = 0; word < 4; word++) words[word] = ((full[word * 2] ?? 0) * 0x10000 + (full[word * 2 + 1] ?? 0)) >>> 0;
  return true;
}

/**
 * Parses an address (`203.0.113.5`, `2001:db8::1`) or, with `allowRange`, a CIDR range
 * (`10.0.0.0/8`) into `words`, clearing the host bits of a range. An IPv4-mapped IPv6 address
 * or range (`::ffff:203.0.113.5`, `::ffff:10.0.0.0/104`) is returned as the IPv4 one, so both
 * spellings of one host are one value. Undefined when `text` is neither.
 */
export function parseIpRange(text: string, words: Uint32Array, allowRange: boolean): IpRange | undefined {
  const slash = allowRange ? text.indexOf("/") : -1;
  const end = slash < 0 ? text.length : slash;
  let version: 4 | 6;
  let bits: number;
  const v4 = parseIPv4(text, 0, end);
  if (v4 >= 0) {
    words[0] = v4;
    version = 4;
    bits = 32;
  } else if (parseIPv6(text, words, 0, end)) {
    version = 6;
    bits = 128;
  } else {
    return undefined;
  }
  let prefix = bits;
  if (slash >= 0) {
    prefix = parsePrefixLength(text, slash + 1, bits);
    if (prefix < 0) return undefined;
  }
  if (version === 6 && prefix >= MAPPED_PREFIX && words[0] === 0 && words[1] === 0 && words[2] === 0xffff) {
    words[0] = words[3] ?? 0;
    version = 4;
    prefix -= MAPPED_PREFIX;
  }
  clearHostBits(words, version === 4 ? 1 : 4, prefix);
  return { version, prefix };
}

function parsePrefixLength(text: string, start: number, bits: number): number {
  const length = text.length - start;
  if (length < 1 || length > 3 || (length > 1 && text.charCodeAt(start) === ZERO)) return -1;
  let prefix = 0;
  for (let index = start; index < text.length; index++) {
    const digit = text.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    prefix = prefix * 10 + digit;
  }
  return prefix <= bits ? prefix : -1;
}

/** Clears every bit of the `wordCount` words of `words` after the first `prefix` bits. */
export function clearHostBits(words: Uint32Array, wordCount: number, prefix: number): void {
  for (let word = 0; word < wordCount; word++) {
    const kept = Math.min(32, Math.max(0, prefix - word * 32));
    words[word] = kept === 0 ? 0 : ((words[word] ?? 0) & (0xffffffff << (32 - kept))) >>> 0;
  }
}

/** The dotted-quad text of an unsigned 32-bit IPv4 address. */
export function formatIPv4(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

/**
 * The RFC 5952 text of the IPv6 address in `words[0..3]`: lower-case hex without leading zeros,
 * the longest run of two or more zero groups (the first of equals) written `::`.
 */
export function formatIPv6(words: ArrayLike<number>): string {
  const groups: number[] = [];
  for (let word = 0; word < 4; word++) {
    const value = words[word] ?? 0;
    groups.push(value >>> 16, value & 0xffff);
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end === start ? start + 1 : end;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((group) => group.toString(16)).join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** The canonical text of a parsed address or range: an address alone, a range as `network/prefix`. */
export function formatIpRange(words: ArrayLike<number>, range: IpRange): string {
  const address = range.version === 4 ? formatIPv4(words[0] ?? 0) : formatIPv6(words);
  return range.prefix === (range.version === 4 ? 32 : 128) ? address : `${address}/${range.prefix}`;
}

/**
 * The canonical text of an IP address (never a range), or undefined: IPv4 dotted-quad, IPv6 as
 * RFC 5952 writes it, an IPv4-mapped IPv6 address as its IPv4 address.
 */
export function canonicalIpAddress(text: string): string | undefined {
  const words = new Uint32Array(4);
  const range = parseIpRange(text, words, false);
  return range === undefined ? undefined : formatIpRange(words, range);
}

