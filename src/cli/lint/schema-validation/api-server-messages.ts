/**
 * The messages the API server gives for a custom resource that breaks its schema, in the form
 * `kubectl apply` prints after the field (`Invalid value: "1 hour": spec.dedup.window in body
 * should match '...'`), so that an offline finding reads like the refusal it predicts.
 */

/** The JSON type of a value as the API server names it in type errors. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** A value as the API server quotes it: strings quoted, numbers and booleans bare. */
export function quotedValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  return JSON.stringify(jsonTypeOf(value));
}

/** A field that must be set is absent. */
export function requiredValue(detail?: string): string {
  return detail === undefined || detail === "" ? "Required value" : `Required value: ${detail}`;
}

/** A field the rules forbid. */
export function forbidden(detail: string): string {
  return `Forbidden: ${detail}`;
}

/** A value that breaks a constraint; `detail` says which. */
export function invalidValue(value: unknown, detail: string): string {
  return `Invalid value: ${quotedValue(value)}: ${detail}`;
}

/** A value of the wrong JSON type. */
export function typeInvalid(field: string, value: unknown, expected: string): string {
  const actual = JSON.stringify(jsonTypeOf(value));
  return `Invalid value: ${actual}: ${field} in body must be of type ${expected}: ${actual}`;
}

/** A string outside its enumeration. */
export function unsupportedValue(value: unknown, supported: readonly string[]): string {
  return `Unsupported value: ${quotedValue(value)}: supported values: ${supported.map((item) => JSON.stringify(item)).join(", ")}`;
}

/** A string longer than its `maxLength`. */
export function tooLong(maxLength: number): string {
  return `Too long: may not be more than ${maxLength} bytes`;
}

/** A list or map with more entries than its bound. */
export function tooMany(actual: number, max: number): string {
  return `Too many: ${actual}: must have at most ${max} items`;
}

/** A duplicate entry of a set or map list. */
export function duplicateValue(value: unknown): string {
  return `Duplicate value: ${quotedValue(value)}`;
}

/** A property the schema does not declare (refused by `kubectl apply`'s strict field validation). */
export function unknownField(field: string): string {
  return `unknown field "${field}"`;
}

/** What the API server adds when it skipped the CEL rules because of blocking errors. */
export const RULES_NOT_CHECKED =
  "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";
