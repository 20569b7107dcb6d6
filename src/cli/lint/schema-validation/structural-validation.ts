import type { Schema } from "../../../api/v1alpha1/schema/index.ts";
import { child, formatPath, index, type FieldPath } from "../field-path.ts";
import {
  duplicateValue,
  invalidValue,
  jsonTypeOf,
  requiredValue,
  tooLong,
  tooMany,
  typeInvalid,
  unknownField,
  unsupportedValue,
} from "./api-server-messages.ts";

/** One way an object breaks its schema. */
export interface SchemaViolation {
  readonly path: FieldPath;
  /** The API server's message after the field (`Required value`, `Invalid value: ...`). */
  readonly message: string;
  /**
   * Whether the API server would skip the CEL rules because of it (a wrong type, a missing
   * required field, a value outside its enum, a string or list over its bound).
   */
  readonly blocking: boolean;
  /** Where the finding points: the field's value (the default), or its key (an unknown field). */
  readonly at?: "key";
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeMatches(expected: NonNullable<Schema["type"]>, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  return actual === expected || (expected === "number" && actual === "integer");
}

/** Unicode code points, which is what the API server's maxLength and minLength count. */
function characters(text: string): number {
  return Array.from(text).length;
}

/**
 * Checks a value against a structural schema as the API server's OpenAPI validation does
 * (types, enums, patterns, string, list and map bounds, numeric ranges, required and unknown
 * properties, set and map list uniqueness, date-time formats). Values under
 * `x-kubernetes-preserve-unknown-fields` are not looked into. Pure.
 */
export function structuralViolations(schema: Schema, value: unknown, path: FieldPath): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const report: Report = (at, message, blocking, pointAt) => {
    violations.push({ path: at, message, blocking, ...(pointAt === undefined ? {} : { at: pointAt }) });
  };
  visit(schema, value, path, report);
  return violations;
}

type Report = (path: FieldPath, message: string, blocking: boolean, at?: "key") => void;

function reportUnknownField(path: FieldPath, report: Report): void {
  report(path, unknownField(formatPath(path)), false, "key");
}

function visit(schema: Schema, value: unknown, path: FieldPath, report: Report): void {
  const field = formatPath(path);
  if (schema["x-kubernetes-int-or-string"] === true) {
    const type = jsonTypeOf(value);
    if (type !== "integer" && type !== "string") report(path, typeInvalid(field, value, "integer,string"), true);
    else if (typeof value === "string") checkString(schema, value, path, report);
    return;
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    report(path, typeInvalid(field, value, schema.type), true);
    return;
  }
  if (typeof value === "string") checkString(schema, value, path, report);
  else if (typeof value === "number") checkNumber(schema, value, path, report);
  else if (Array.isArray(value)) checkList(schema, value, path, report);
  else if (isPlainObject(value)) checkObject(schema, value, path, report);
}

function checkString(schema: Schema, value: string, path: FieldPath, report: Report): void {
  const field = formatPath(path);
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    report(path, unsupportedValue(value, schema.enum), true);
    return;
  }
  const length = characters(value);
  if (schema.maxLength !== undefined && length > schema.maxLength) report(path, tooLong(schema.maxLength), true);
  if (schema.minLength !== undefined && length < schema.minLength) {
    report(path, invalidValue(value, `${field} in body should be at least ${schema.minLength} chars long`), false);
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    report(path, invalidValue(value, `${field} in body should match '${schema.pattern}'`), false);
  }
  if (schema.format === "date-time" && !RFC3339.test(value)) {
    report(path, invalidValue(value, `${field} in body must be of type date-time: ${JSON.stringify(value)}`), false);
  }
}

function checkNumber(schema: Schema, value: number, path: FieldPath, report: Report): void {
  const field = formatPath(path);
  if (schema.minimum !== undefined && value < schema.minimum) {
    report(path, invalidValue(value, `${field} in body should be greater than or equal to ${schema.minimum}`), false);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    report(path, invalidValue(value, `${field} in body should be less than or equal to ${schema.maximum}`), false);
  }
}

function checkList(schema: Schema, value: readonly unknown[], path: FieldPath, report: Report): void {
  const field = formatPath(path);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) report(path, tooMany(value.length, schema.maxItems), true);
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    report(path, invalidValue(value.length, `${field} in body should have at least ${schema.minItems} items`), false);
  }
  const items = schema.items;
  if (items !== undefined) value.forEach((item, position) => { visit(items, item, index(path, position), report); });
  checkListUniqueness(schema, value, path, report);
}

function checkListUniqueness(schema: Schema, value: readonly unknown[], path: FieldPath, report: Report): void {
  const listType = schema["x-kubernetes-list-type"];
  if (listType !== "set" && listType !== "map") return;
  const mapKeys = schema["x-kubernetes-list-map-keys"] ?? [];
  const seen = new Set<string>();
  value.forEach((item, position) => {
    const identity = listType === "set" ? item : mapKeys.map((name) => (isPlainObject(item) ? item[name] : undefined));
    const text = JSON.stringify(identity);
    if (seen.has(text)) report(index(path, position), duplicateValue(listType === "set" ? item : Object.fromEntries(mapKeys.map((name, at) => [name, (identity as unknown[])[at]]))), false);
    seen.add(text);
  });
}

function checkObject(schema: Schema, value: Readonly<Record<string, unknown>>, path: FieldPath, report: Report): void {
  const entries = Object.entries(value);
  if (schema.maxProperties !== undefined && entries.length > schema.maxProperties) {
    report(path, tooMany(entries.length, schema.maxProperties), true);
  }
  if (schema.minProperties !== undefined && entries.length < schema.minProperties) {
    report(path, invalidValue(entries.length, `${formatPath(path)} in body should have at least ${schema.minProperties} properties`), false);
  }
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) return;
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  // An object declaring no properties at all is `metadata`, which the API server validates itself.
  if (properties === undefined && additional === undefined) return;
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) report(child(path, name), requiredValue(), true);
  }
  for (const [name, item] of entries) {
    const declared = properties === undefined || !Object.hasOwn(properties, name) ? undefined : properties[name];
    if (declared !== undefined) visit(declared, item, child(path, name), report);
    // The API server's OpenAPI validation names a map entry as a field (`limits.cpu`); its CEL rules as a key (`limits[cpu]`).
    else if (additional !== undefined) visit(additional, item, child(path, name), report);
    else reportUnknownField(child(path, name), report);
  }
}
