import { CloudEvent } from "cloudevents";
import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import { attributeField } from "./attribute-text.ts";
import { reject, RejectReason, type Rejection } from "../rejection.ts";

/**
 * Runs the CloudEvents SDK's JSON-schema validation over the context attributes of an
 * envelope that already passed intake's own checks. Intake relies on it for the URI syntax
 * rules (`source` is a URI-reference, `dataschema` a URI) and as a second opinion on the rest.
 * Only attributes are passed: data is never handed to the SDK.
 */
export function checkWithCloudEventsSdk(envelope: Omit<CloudEventEnvelope, "data">, prefix: string): Rejection | undefined {
  const { extensions, ...context } = envelope;
  try {
    new CloudEvent({ ...extensions, ...context }, false).validate();
    return undefined;
  } catch (error: unknown) {
    const attribute = failingAttribute(error) ?? "event";
    const field = attributeField(prefix, attribute);
    return reject(RejectReason.InvalidAttribute, field, `attribute ${field} does not conform to the CloudEvents 1.0 schema (${schemaRule(error)})`);
  }
}

function failingAttribute(error: unknown): string | undefined {
  const path = firstSchemaError(error)?.instancePath;
  return typeof path === "string" && path.startsWith("/") ? path.slice(1) : undefined;
}

function schemaRule(error: unknown): string {
  const first = firstSchemaError(error);
  if (first !== undefined && first.keyword === "format" && typeof first.params === "object" && first.params !== null) {
    const format = (first.params as { format?: unknown }).format;
    if (typeof format === "string") return `must be a valid ${format}`;
  }
  return typeof first?.keyword === "string" ? `fails rule ${first.keyword}` : "rejected by the CloudEvents SDK";
}

interface SchemaError {
  readonly instancePath?: unknown;
  readonly keyword?: unknown;
  readonly params?: unknown;
}

function firstSchemaError(error: unknown): SchemaError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const errors = (error as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  const first: unknown = errors[0];
  return typeof first === "object" && first !== null ? first : undefined;
}
