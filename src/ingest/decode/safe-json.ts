import type { DecodeLimits } from "./decode-limits.ts";
import { findExcessiveNesting } from "./json-nesting.ts";
import { joinPath, rootField } from "./json-path.ts";
import { accept, reject, RejectReason, type Rejection, type Result } from "../rejection.ts";
import { decodeUtf8 } from "./text-encoding.ts";

const BYTE_ORDER_MARK = "\uFEFF";

/**
 * Parses hostile JSON bytes. Accepts only when the bytes fit `maxBytes`, are valid UTF-8 (a
 * leading byte-order mark is ignored), nest no deeper than `maxDepth` plus `envelopeLevels`
 * (the levels a structured event, batch or webhook adds around event data), parse as JSON, and
 * carry no prototype-pollution key. `root` names the document in rejections (`data`, or `""`
 * for a whole body, shown as `body`).
 */
export function parseJsonBytes(
  bytes: Uint8Array,
  limits: Pick<DecodeLimits, "maxBytes" | "maxDepth">,
  root: string,
  envelopeLevels = 0,
): Result<unknown> {
  const field = rootField(root);
  if (bytes.byteLength > limits.maxBytes) {
    return reject(RejectReason.TooLarge, field, `${field} is ${bytes.byteLength} bytes, more than the limit of ${limits.maxBytes} bytes`);
  }
  const decoded = decodeUtf8(bytes);
  if (decoded === undefined) return reject(RejectReason.InvalidEncoding, field, `${field} is not valid UTF-8`);
  return parseJsonText(decoded.startsWith(BYTE_ORDER_MARK) ? decoded.slice(1) : decoded, limits.maxDepth + envelopeLevels, root);
}

/** Parses JSON text with the depth and prototype-pollution checks of `parseJsonBytes` (no size check). */
export function parseJsonText(text: string, maxDepth: number, root: string): Result<unknown> {
  const field = rootField(root);
  const excessive = findExcessiveNesting(text, maxDepth, root);
  if (excessive !== undefined) return tooDeep(excessive, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's own message quotes the input, which is hostile; it is deliberately dropped.
    return reject(RejectReason.InvalidJson, field, text.trim() === "" ? `${field} is empty, JSON was expected` : `${field} is not valid JSON`);
  }
  const forbidden = findForbiddenKey(value, root);
  return forbidden ?? accept(value);
}

/**
 * Finds a prototype-pollution key anywhere in a parsed JSON value: `__proto__`, or a
 * `constructor` object holding `prototype`. Such keys are harmless in the parsed value but turn
 * into prototype writes in any later code that copies objects by assignment, so they are refused.
 */
export function findForbiddenKey(value: unknown, path: string): Rejection | undefined {
  const trail = forbiddenKeyTrail(value);
  if (trail === undefined) return undefined;
  const field = trail.reduceRight<string>((parent, segment) => joinPath(parent, segment), path);
  return reject(RejectReason.ForbiddenKey, field, `${field} is a key reserved for object prototypes and is not accepted`);
}

/** The keys leading to a forbidden key, innermost first, or undefined. Paths are only built on a find. */
function forbiddenKeyTrail(value: unknown): (string | number)[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const trail = forbiddenKeyTrail(value[index]);
      if (trail !== undefined) return [...trail, index];
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (key === "__proto__" || (key === "constructor" && isJsonObject(item) && Object.hasOwn(item, "prototype"))) return [key];
    const trail = forbiddenKeyTrail(item);
    if (trail !== undefined) return [...trail, key];
  }
  return undefined;
}

/**
 * The display path of the first container in an already parsed value nested deeper than
 * `maxDepth` (the value itself, when a container, is depth 1), or undefined. Recursion stops at
 * the limit, so it is safe on any parsed value.
 */
export function findValueNesting(value: unknown, maxDepth: number, path: string): string | undefined {
  const trail = nestingTrail(value, maxDepth, 1);
  return trail === undefined ? undefined : rootField(trail.reduceRight<string>((parent, segment) => joinPath(parent, segment), path));
}

function nestingTrail(value: unknown, maxDepth: number, depth: number): (string | number)[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (depth > maxDepth) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [key, item] of entries) {
    const trail = nestingTrail(item, maxDepth, depth + 1);
    if (trail !== undefined) return [...trail, key];
  }
  return undefined;
}

/** A too-deep rejection for `field`. */
export function tooDeep(field: string, maxDepth: number): Rejection {
  return reject(RejectReason.TooDeep, field, `${field} nests JSON deeper than the limit of ${maxDepth} levels`);
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
