import {
  celList,
  celMap,
  celType,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  type CelValue,
} from "@bufbuild/cel";
import { celStringOf } from "./environment.ts";

/** A value as parsed JSON holds it. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Deepest nesting of lists and maps accepted in variables (parsed JSON never cycles; objects may). */
export const maxInputDepth = 64;

const minInt64 = -(2n ** 63n);
const maxInt64 = 2n ** 63n - 1n;

/** A value that cannot be converted between JS and CEL, with the path where it sits. */
export class ValueConversionError extends Error {
  override readonly name = "ValueConversionError";
}

/**
 * Runs a conversion and returns its value, or the message of why it failed. Any exception
 * counts (a list built by thousands of concatenations can exhaust the stack when read).
 */
export function tryConversion<T>(convert: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: convert() };
  } catch (error: unknown) {
    if (error instanceof ValueConversionError) return { ok: false, message: error.message };
    return { ok: false, message: `value could not be converted: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Converts a JS value (parsed JSON, plus bigint and Uint8Array) into a CEL value. Integral
 * numbers within the safe integer range become `int`, other numbers `double`; objects become
 * maps with string keys, arrays lists. Throws ValueConversionError naming `path` for anything
 * else (functions, class instances, `undefined` in a list) and past `maxInputDepth` levels.
 */
export function toCelValue(value: unknown, path: string, depth = 0): CelValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case "bigint":
      if (value < minInt64 || value > maxInt64) {
        throw new ValueConversionError(`${path}: integer ${value.toString()} is outside the int64 range`);
      }
      return value;
    case "object":
      return value === null ? null : toCelAggregate(value, path, depth);
    default:
      throw new ValueConversionError(`${path}: a ${typeof value} has no CEL form`);
  }
}

function toCelAggregate(value: object, path: string, depth: number): CelValue {
  if (value instanceof Uint8Array) return value;
  if (depth >= maxInputDepth) {
    throw new ValueConversionError(`nesting deeper than ${maxInputDepth} levels at ${path}`);
  }
  if (Array.isArray(value)) {
    return celList(value.map((element: unknown, index) => toCelValue(element, `${path}[${index}]`, depth + 1)));
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new ValueConversionError(`${path}: only plain objects, arrays and scalars have a CEL form`);
  }
  const entries = new Map<string, CelValue>();
  for (const [key, entry] of Object.entries(value)) {
    // Absent and undefined are the same in JSON: JSON.stringify drops such keys too.
    if (entry !== undefined) entries.set(key, toCelValue(entry, `${path}.${key}`, depth + 1));
  }
  return celMap(entries);
}

/**
 * Converts a CEL result into JSON. `int` and `uint` become numbers when JSON represents them
 * exactly; timestamps and durations become their CEL string form. Throws ValueConversionError
 * naming `path` for values JSON cannot hold (huge integers, NaN, infinities, types, bytes that
 * are not UTF-8).
 */
export function toJsonValue(value: CelValue, path: string): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return exactNumber(value, "int", path);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ValueConversionError(`${path}: double ${String(value)} has no JSON form`);
    return value;
  }
  if (isCelUint(value)) return exactNumber(value.value, "uint", path);
  if (isCelList(value)) return Array.from(value, (element, index) => toJsonValue(element, `${path}[${index}]`));
  if (isCelMap(value)) {
    return Object.fromEntries(
      Array.from(value.entries(), ([key, entry]) => {
        const name = isCelUint(key) ? key.value.toString() : String(key);
        return [name, toJsonValue(entry, `${path}.${name}`)];
      }),
    );
  }
  const text = celStringOf(value);
  if (typeof text === "string") return text;
  throw new ValueConversionError(`${path}: a value of type ${celType(value).name} has no JSON form`);
}

function exactNumber(value: bigint, type: string, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ValueConversionError(
      `${path}: ${type} ${value.toString()} is beyond the integers JSON numbers hold exactly; convert it with string()`,
    );
  }
  return Number(value);
}

/**
 * The text a template inserts for a value: strings as they are, numbers, booleans, timestamps
 * and durations in their CEL `string()` form, null as `null`, lists and maps as JSON.
 */
export function templateText(value: CelValue, path: string): string {
  if (typeof value === "string") return value;
  if (value === null) return "null";
  if (isCelList(value) || isCelMap(value)) return JSON.stringify(toJsonValue(value, path));
  const text = celStringOf(value);
  if (isCelError(text) || typeof text !== "string") {
    throw new ValueConversionError(`${path}: a value of type ${celType(value).name} has no string form`);
  }
  return text;
}
