import type { Schema } from "../../../api/v1alpha1/schema/index.ts";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value as the API server validates it after decoding: `null` object fields removed (the
 * schema declares no field nullable, so the server prunes them) and absent properties with a
 * default set to it, all the way down. The input is not changed.
 */
export function prunedAndDefaulted(schema: Schema, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    return items === undefined ? value : value.map((item) => prunedAndDefaulted(items, item));
  }
  if (!isPlainObject(value) || schema["x-kubernetes-preserve-unknown-fields"] === true) return value;
  const result: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (item === null) continue;
    const declared = schema.properties !== undefined && Object.hasOwn(schema.properties, name) ? schema.properties[name] : schema.additionalProperties;
    define(result, name, declared === undefined ? item : prunedAndDefaulted(declared, item));
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(result, name) && property.default !== undefined) define(result, name, structuredClone(property.default));
  }
  return result;
}

/** Sets an own property, even one named `__proto__`. */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
