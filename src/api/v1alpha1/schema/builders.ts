/**
 * Builders for OpenAPI v3 structural schemas as the apiextensions.k8s.io/v1 CRD API accepts
 * them. Every builder takes a description first, so no field can be declared without one,
 * and every string, list and map builder takes its bound, so CEL validation cost stays
 * estimable by the apiserver.
 */

/** A CEL validation rule, exactly as `x-kubernetes-validations` takes it. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  /** FieldValueDuplicate is left out: the apiserver drops the message for it. */
  readonly reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired";
  readonly optionalOldSelf?: boolean;
}

/** The primitive and container types of a structural schema. */
export type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean";

/**
 * One node of a structural schema. Keys are those of apiextensions.k8s.io/v1
 * `JSONSchemaProps`, plus `typeName` and `typeDescription`, which only the code generator
 * reads (they name the TypeScript declaration of the node and are never written to a CRD).
 */
export interface Schema {
  readonly type?: SchemaType;
  readonly description: string;
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema;
  readonly items?: Schema;
  readonly anyOf?: readonly { readonly type: SchemaType }[];
  readonly "x-kubernetes-int-or-string"?: true;
  readonly "x-kubernetes-preserve-unknown-fields"?: true;
  readonly "x-kubernetes-map-type"?: "atomic" | "granular";
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-validations"?: readonly ValidationRule[];
  readonly typeName?: string;
  readonly typeDescription?: string;
}

/** Keys of {@link Schema} that exist only for the code generator. */
export const GENERATOR_ONLY_KEYS = ["typeName", "typeDescription"] as const;

/** Constraints of a free-text string; `maxLength` is mandatory. */
export interface StringOptions {
  readonly maxLength: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly default?: string;
  readonly rules?: readonly ValidationRule[];
}

/** A string bounded by `maxLength`. */
export function string(description: string, options: StringOptions): Schema {
  const { rules, ...constraints } = options;
  return { type: "string", description, ...constraints, ...validations(rules) };
}

/** Options of an enumerated string. */
export interface EnumOptions {
  readonly default?: string;
  /** Names the TypeScript union type generated for the enum. */
  readonly typeName?: string;
  readonly typeDescription?: string;
}

/** A string that must be one of `values`. */
export function enumeration(description: string, values: readonly string[], options: EnumOptions = {}): Schema {
  if (values.length === 0) throw new Error(`enumeration "${description}" has no values`);
  if (options.default !== undefined && !values.includes(options.default)) {
    throw new Error(`enumeration "${description}": default ${options.default} is not one of its values`);
  }
  return { type: "string", description, enum: values, ...options };
}

/** Options of an integer. */
export interface IntegerOptions {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: number;
  readonly format?: "int32" | "int64";
}

/** An integer (int64 unless stated). */
export function integer(description: string, options: IntegerOptions = {}): Schema {
  return { type: "integer", description, format: "int64", ...options };
}

/** A boolean. */
export function boolean(description: string, options: { readonly default?: boolean } = {}): Schema {
  return { type: "boolean", description, ...options };
}

/** An RFC 3339 timestamp, serialized like metav1.Time. */
export function timestamp(description: string): Schema {
  return { type: "string", description, format: "date-time" };
}

/** Options of a list; `maxItems` is mandatory. */
export interface ListOptions {
  readonly maxItems: number;
  readonly minItems?: number;
  /** `set` for unique scalars, `map` for objects keyed by `mapKeys`; `atomic` otherwise. */
  readonly listType?: "atomic" | "set" | "map";
  readonly mapKeys?: readonly string[];
  readonly rules?: readonly ValidationRule[];
}

/** A list bounded by `maxItems`. */
export function list(description: string, items: Schema, options: ListOptions): Schema {
  const { mapKeys, listType, rules, ...bounds } = options;
  if ((listType === "map") !== (mapKeys !== undefined)) {
    throw new Error(`list "${description}": mapKeys go together with listType map`);
  }
  for (const key of mapKeys ?? []) {
    if (!(items.required ?? []).includes(key)) {
      throw new Error(`list "${description}": map key ${key} must be a required property of the items`);
    }
  }
  return {
    type: "array",
    description,
    items,
    ...bounds,
    ...(listType === undefined ? {} : { "x-kubernetes-list-type": listType }),
    ...(mapKeys === undefined ? {} : { "x-kubernetes-list-map-keys": mapKeys }),
    ...validations(rules),
  };
}

/** Options of a string-keyed map; `maxProperties` is mandatory. */
export interface MapOptions {
  readonly maxProperties: number;
  readonly rules?: readonly ValidationRule[];
}

/** A map from string keys to `values`, bounded by `maxProperties`. */
export function map(description: string, values: Schema, options: MapOptions): Schema {
  const { rules, ...bounds } = options;
  return { type: "object", description, additionalProperties: values, ...bounds, ...validations(rules) };
}

/** Options of an object. */
export interface ObjectOptions {
  readonly required?: readonly string[];
  readonly rules?: readonly ValidationRule[];
  /** Names the TypeScript interface generated for the object. */
  readonly typeName?: string;
  /** Doc comment of the generated interface, when `description` describes one use of it. */
  readonly typeDescription?: string;
}

/** An object with known properties; unknown properties are pruned by the apiserver. */
export function object(
  description: string,
  properties: Readonly<Record<string, Schema>>,
  options: ObjectOptions = {},
): Schema {
  const { required, rules, ...naming } = options;
  for (const name of required ?? []) {
    if (!(name in properties)) throw new Error(`object "${description}": required property ${name} is not declared`);
  }
  return {
    type: "object",
    description,
    properties,
    ...(required === undefined || required.length === 0 ? {} : { required }),
    ...validations(rules),
    ...naming,
  };
}

/**
 * An object whose content the apiserver keeps as is (no pruning, no validation) and that is
 * written as a whole: atomic, so field ownership records the object, not each of its
 * producer-defined fields (which would make every write of the resource pay for them).
 */
export function freeform(description: string, options: { readonly maxProperties?: number } = {}): Schema {
  return { type: "object", description, ...options, "x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-map-type": "atomic" };
}

/** A value that is either an integer or a string matching `pattern`, like resource.Quantity. */
export function intOrString(description: string, options: { readonly pattern?: string } = {}): Schema {
  return {
    description,
    anyOf: [{ type: "integer" }, { type: "string" }],
    ...options,
    "x-kubernetes-int-or-string": true,
  };
}

function validations(rules: readonly ValidationRule[] | undefined): Pick<Schema, "x-kubernetes-validations"> {
  return rules === undefined || rules.length === 0 ? {} : { "x-kubernetes-validations": rules };
}
