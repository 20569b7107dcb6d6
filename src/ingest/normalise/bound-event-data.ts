import { utf8Length } from "../decode/text-encoding.ts";
import { jsonUtf8Length } from "./json-utf8-length.ts";

/** The default bound on stored event data: 64 KiB of JSON. */
export const DEFAULT_MAX_DATA_BYTES = 64 * 1024;

/** The smallest bound `boundEventData` accepts; below it not even the truncation marker fits. */
export const MIN_MAX_DATA_BYTES = 256;

/** Appended to every string that bounding shortened. */
export const TRUNCATION_SUFFIX = "…[truncated]";

/** Data that fits its bound, and whether it had to be shortened to fit. */
export interface BoundedData {
  readonly data: unknown;
  readonly truncated: boolean;
}

/**
 * The replacement for data whose structure alone is too large: says it was truncated, how
 * large it was, and keeps as much of its JSON text as fits (not parseable on its own).
 */
export interface TruncatedDataSummary {
  readonly truncated: true;
  readonly originalBytes: number;
  readonly preview: string;
}

const MIN_STRING_CAP = 16;

/**
 * Returns data whose JSON takes at most `maxBytes` bytes of UTF-8. Data that fits is returned
 * unchanged with `truncated: false`. Otherwise, first, the shape is kept and the longest
 * strings are shortened to a common length (the largest that fits), each ending with
 * `…[truncated]`; if even short strings do not fit (too many keys or items), the data is
 * replaced by a `TruncatedDataSummary`. Never mutates its input; `undefined` stays `undefined`.
 * @throws RangeError when `maxBytes` is below `MIN_MAX_DATA_BYTES` (a configuration error).
 */
export function boundEventData(data: unknown, maxBytes: number = DEFAULT_MAX_DATA_BYTES): BoundedData {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < MIN_MAX_DATA_BYTES) {
    throw new RangeError(`maxBytes must be an integer of at least ${MIN_MAX_DATA_BYTES}, got ${String(maxBytes)}`);
  }
  // Measured without building the JSON: for a large alert it would be a string as large as the alert.
  const originalBytes = jsonUtf8Length(data);
  if (originalBytes === undefined) return { data: undefined, truncated: false };
  if (originalBytes <= maxBytes) return { data, truncated: false };
  const capped = capStrings(data, maxBytes);
  return { data: capped ?? summary(JSON.stringify(data), originalBytes, maxBytes), truncated: true };
}

/** The data with strings capped at the largest common length that fits, or undefined when none does. */
function capStrings(data: unknown, maxBytes: number): unknown {
  const fits = (cap: number): unknown => {
    const candidate = withStringsCapped(data, cap);
    return utf8Length(JSON.stringify(candidate)) <= maxBytes ? candidate : undefined;
  };
  let best = fits(MIN_STRING_CAP);
  if (best === undefined) return undefined;
  let low = MIN_STRING_CAP;
  // Every UTF-16 unit of a string takes at least one byte of its JSON: no longer cap can fit.
  let high = Math.min(longestString(data), maxBytes);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = fits(middle);
    if (candidate === undefined) high = middle - 1;
    else {
      best = candidate;
      low = middle;
    }
  }
  return best;
}

function withStringsCapped(value: unknown, cap: number): unknown {
  if (typeof value === "string") return value.length <= cap ? value : `${cutAt(value, cap)}${TRUNCATION_SUFFIX}`;
  if (Array.isArray(value)) return value.map((item: unknown) => withStringsCapped(item, cap));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]: [string, unknown]) => [key, withStringsCapped(item, cap)]));
  }
  return value;
}

function longestString(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((longest: number, item: unknown) => Math.max(longest, longestString(item)), 0);
  if (typeof value === "object" && value !== null) return Object.values(value).reduce((longest: number, item: unknown) => Math.max(longest, longestString(item)), 0);
  return 0;
}

function summary(json: string, originalBytes: number, maxBytes: number): TruncatedDataSummary {
  const fits = (length: number): boolean => utf8Length(JSON.stringify({ truncated: true, originalBytes, preview: cutAt(json, length) })) <= maxBytes;
  let low = 0;
  let high = json.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return { truncated: true, originalBytes, preview: cutAt(json, low) };
}

/** The first `length` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair. */
function cutAt(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}
