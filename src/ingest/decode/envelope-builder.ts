import { attributeField, checkAttributeText, checkExtensionName } from "./attribute-text.ts";
import { CLOUDEVENTS_SPEC_VERSION, RESERVED_ATTRIBUTE_NAMES, type CloudEventEnvelope } from "./cloudevent-envelope.ts";
import type { DecodeLimits } from "./decode-limits.ts";
import { quoted } from "./display-text.ts";
import { parseMediaType } from "./media-type.ts";
import { accept, reject, RejectReason, type Rejection, type Result } from "../rejection.ts";
import { isRfc3339Timestamp } from "../../api/rfc3339.ts";
import { checkWithCloudEventsSdk } from "./sdk-conformance.ts";

/** Attribute values as a content mode delivers them, before validation. */
export interface RawEvent {
  /** Context and extension attributes by name; binary mode gives strings, structured mode any JSON value. */
  readonly attributes: ReadonlyMap<string, unknown>;
  /** Where the event sits, for field names: `""` alone, `[3]` inside a batch. */
  readonly prefix: string;
}

const REQUIRED = ["id", "source", "type"] as const;
const OPTIONAL = ["subject", "time", "datacontenttype", "dataschema"] as const;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * Validates the attributes of one event against CloudEvents 1.0 and intake's limits and
 * builds its envelope. Checks, in order: specversion (present, a string, exactly "1.0"), the
 * required id, source and type, the optional subject, time (RFC 3339), datacontenttype (a
 * media type) and dataschema, then every extension (name syntax and length, value a string,
 * boolean or 32-bit integer, count), and finally the SDK's schema (URI syntax).
 */
export function buildEnvelope(raw: RawEvent, limits: DecodeLimits): Result<EventAttributes> {
  const specversion = checkSpecversion(raw);
  if (specversion !== undefined) return specversion;
  const context: Partial<Record<(typeof REQUIRED)[number] | (typeof OPTIONAL)[number], string>> = {};
  for (const name of [...REQUIRED, ...OPTIONAL]) {
    const value = raw.attributes.get(name);
    const field = attributeField(raw.prefix, name);
    if (value === undefined || value === null) {
      if ((REQUIRED as readonly string[]).includes(name)) {
        return reject(RejectReason.MissingAttribute, field, `required attribute ${field} is missing`);
      }
      continue;
    }
    if (typeof value !== "string") return reject(RejectReason.InvalidAttribute, field, `attribute ${field} must be a string`);
    const problem = checkAttributeText(field, value, limits.maxAttributeBytes) ?? checkContextSyntax(name, field, value);
    if (problem !== undefined) return problem;
    context[name] = value;
  }
  const extensions = buildExtensions(raw, limits);
  if (!extensions.ok) return extensions;
  // The loop above returned for any missing required attribute; the defaults only satisfy the type.
  const { id = "", source = "", type = "", subject, time, datacontenttype, dataschema } = context;
  const envelope: EventAttributes = {
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id,
    source,
    type,
    ...(subject === undefined ? {} : { subject }),
    ...(time === undefined ? {} : { time }),
    ...(datacontenttype === undefined ? {} : { datacontenttype }),
    ...(dataschema === undefined ? {} : { dataschema }),
    extensions: extensions.value,
  };
  return checkWithCloudEventsSdk(envelope, raw.prefix) ?? accept(envelope);
}

/** An envelope without its data: what `buildEnvelope` validates before the data is decoded. */
export type EventAttributes = Omit<CloudEventEnvelope, "data">;

/** Attaches decoded data to validated attributes; `undefined` data means the event has none. */
export function withData(attributes: EventAttributes, data: unknown): CloudEventEnvelope {
  return data === undefined ? attributes : { ...attributes, data };
}

function checkSpecversion(raw: RawEvent): Rejection | undefined {
  const field = attributeField(raw.prefix, "specversion");
  const value = raw.attributes.get("specversion");
  if (value === undefined || value === null) return reject(RejectReason.MissingAttribute, field, `required attribute ${field} is missing`);
  if (typeof value !== "string") return reject(RejectReason.InvalidAttribute, field, `attribute ${field} must be the string "1.0"`);
  if (value !== CLOUDEVENTS_SPEC_VERSION) {
    return reject(RejectReason.UnsupportedSpecversion, field, `attribute ${field} is ${quoted(value, 16)}; only CloudEvents 1.0 is supported`);
  }
  return undefined;
}

function checkContextSyntax(name: string, field: string, value: string): Rejection | undefined {
  if (name === "time" && !isRfc3339Timestamp(value)) {
    return reject(RejectReason.InvalidAttribute, field, `attribute ${field} must be an RFC 3339 timestamp such as 2026-11-20T10:42:17Z`);
  }
  if (name === "datacontenttype" && parseMediaType(value) === undefined) {
    return reject(RejectReason.InvalidAttribute, field, `attribute ${field} must be a media type such as application/json`);
  }
  return undefined;
}

function buildExtensions(raw: RawEvent, limits: DecodeLimits): Result<Readonly<Record<string, string>>> {
  const entries: [string, string][] = [];
  for (const [name, value] of raw.attributes) {
    if (name === "specversion" || (REQUIRED as readonly string[]).includes(name) || (OPTIONAL as readonly string[]).includes(name)) continue;
    if (value === undefined || value === null) continue;
    const field = attributeField(raw.prefix, name);
    const badName = checkExtensionName(name, field, limits.maxExtensionNameLength);
    if (badName !== undefined) return badName;
    if (RESERVED_ATTRIBUTE_NAMES.includes(name)) {
      return reject(RejectReason.InvalidAttribute, field, `${field} is a reserved attribute name and cannot be an extension`);
    }
    const text = extensionText(value);
    if (text === undefined) {
      return reject(RejectReason.InvalidAttribute, field, `extension attribute ${field} must be a string, a boolean or a 32-bit integer`);
    }
    const problem = checkAttributeText(field, text, limits.maxAttributeBytes, true);
    if (problem !== undefined) return problem;
    entries.push([name, text]);
    if (entries.length > limits.maxExtensions) {
      return reject(RejectReason.TooLarge, attributeField(raw.prefix, "extensions"), `the event has more than ${limits.maxExtensions} extension attributes`);
    }
  }
  return accept(Object.freeze(Object.fromEntries(entries)));
}

function extensionText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return String(value);
  return undefined;
}
