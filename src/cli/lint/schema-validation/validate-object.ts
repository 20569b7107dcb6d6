import type { KindSchema } from "../../../api/v1alpha1/schema/index.ts";
import { rootSchema } from "../../../api/v1alpha1/schema/index.ts";
import { isDnsSubdomain } from "../../../api/v1alpha1/kube-names.ts";
import { child, type FieldPath } from "../field-path.ts";
import { invalidValue, requiredValue, RULES_NOT_CHECKED, typeInvalid } from "./api-server-messages.ts";
import { prunedAndDefaulted } from "./defaulting.ts";
import { structuralViolations, type SchemaViolation } from "./structural-validation.ts";
import { ruleViolations, type SkippedRule } from "./validation-rules.ts";

/** Everything the API server would refuse in an object, and the rules only it can check. */
export interface ObjectValidation {
  /** The object as validated: status left out, `null` fields pruned, defaults applied. */
  readonly value: Readonly<Record<string, unknown>>;
  readonly violations: readonly SchemaViolation[];
  readonly skipped: readonly SkippedRule[];
}

const METADATA: FieldPath = [{ kind: "field", name: "metadata" }];

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The checks the API server makes on `metadata.name` itself, outside the schema. */
function metadataViolations(metadata: unknown): SchemaViolation[] {
  if (metadata === undefined) return [{ path: child(METADATA, "name"), message: requiredValue("name is required"), blocking: true }];
  if (!isPlainObject(metadata)) return [{ path: METADATA, message: typeInvalid("metadata", metadata, "object"), blocking: true }];
  const name = metadata["name"];
  const path = child(METADATA, "name");
  if (name === undefined || name === null || name === "") return [{ path, message: requiredValue("name is required"), blocking: true }];
  if (typeof name !== "string") return [{ path, message: typeInvalid("metadata.name", name, "string"), blocking: true }];
  return isDnsSubdomain(name) ? [] : [{ path, message: invalidValue(name, SUBDOMAIN_MESSAGE), blocking: false }];
}

/**
 * Validates an object of `kind` offline as the API server validates it on create: status is
 * ignored (the status subresource drops it), `null` fields are pruned and defaults applied, then
 * the OpenAPI schema is checked (see `structuralViolations`); the `x-kubernetes-validations`
 * rules run only when none of those errors would make the API server skip them, as it does.
 * The schema is the one the CRD is generated from, so lint and `kubectl apply` cannot drift.
 */
export function validateObject(kind: KindSchema, object: Readonly<Record<string, unknown>>): ObjectValidation {
  const schema = rootSchema(kind);
  const withoutStatus = Object.fromEntries(Object.entries(object).filter(([name]) => name !== "status"));
  const value = prunedAndDefaulted(schema, withoutStatus) as Readonly<Record<string, unknown>>;
  const violations = [...metadataViolations(object["metadata"]), ...structuralViolations(schema, value, [])];
  if (violations.some((violation) => violation.blocking)) {
    return { value, violations: [...violations, { path: [], message: RULES_NOT_CHECKED, blocking: false }], skipped: [] };
  }
  const rules = ruleViolations(schema, value, []);
  return { value, violations: [...violations, ...rules.violations], skipped: rules.skipped };
}
