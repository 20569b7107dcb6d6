import { API_VERSION, GROUP } from "../constants.ts";
import type { Kind } from "../constants.ts";
import type { Schema, ValidationRule } from "./builders.ts";
import { object, string } from "./builders.ts";

/** A column `kubectl get` prints for a kind. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: "string" | "integer" | "number" | "boolean" | "date";
  readonly jsonPath: string;
  readonly description: string;
  /** 0 shows the column by default; 1 only with `-o wide`. */
  readonly priority?: number;
}

/** Everything the CRD and the TypeScript types of one kind are generated from. */
export interface KindSchema {
  readonly kind: Kind;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** What an object of this kind is, shown by `kubectl explain <kind>`. */
  readonly description: string;
  readonly spec: Schema;
  readonly status: Schema;
  readonly printerColumns: readonly PrinterColumn[];
  /** Rules on the whole object, for constraints on `metadata.name`. */
  readonly rules?: readonly ValidationRule[];
}

/** Name of the CustomResourceDefinition of a kind: `<plural>.<group>`. */
export function crdName(kind: KindSchema): string {
  return `${kind.plural}.${GROUP}`;
}

/**
 * The complete `openAPIV3Schema` of a kind: apiVersion, kind, metadata, spec (required) and
 * status, with the kind's object-level rules.
 */
export function rootSchema(kind: KindSchema): Schema {
  return object(
    kind.description,
    {
      apiVersion: string(
        `APIVersion defines the versioned schema of this representation of an object; ${API_VERSION} for this kind.`,
        { maxLength: 253 },
      ),
      kind: string(`Kind is a string value representing the REST resource this object represents; ${kind.kind} here.`, {
        maxLength: 63,
      }),
      metadata: { type: "object", description: "Standard object metadata." },
      spec: kind.spec,
      status: kind.status,
    },
    { required: ["spec"], ...(kind.rules === undefined ? {} : { rules: kind.rules }) },
  );
}
