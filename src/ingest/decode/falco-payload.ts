import { hasForbiddenCharacter } from "./attribute-text.ts";
import type { DecodeLimits } from "./decode-limits.ts";
import { quoted } from "./display-text.ts";
import { joinPath, rootField } from "./json-path.ts";
import { accept, reject, RejectReason, type Rejection, type Result } from "../rejection.ts";
import { isRfc3339Timestamp } from "../../api/rfc3339.ts";
import { isJsonObject } from "./safe-json.ts";
import { utf8Length } from "./text-encoding.ts";

/** Falco's priorities, most severe first, spelled as Falco writes them in JSON output. */
export const FALCO_PRIORITIES = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"] as const;

/** One of Falco's priorities. */
export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

const PRIORITY_BY_LOWER: ReadonlyMap<string, FalcoPriority> = new Map<string, FalcoPriority>([
  ...FALCO_PRIORITIES.map((priority): [string, FalcoPriority] => [priority.toLowerCase(), priority]),
  ["info", "Informational"],
]);

const SOURCE_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ["syscalls", "syscall"],
  ["k8saudit", "k8s_audit"],
]);
const SOURCE_SYNTAX = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const MAX_TAGS = 64;

/** A Falco alert (JSON output, as Falco or Falcosidekick send it), validated. */
export interface FalcoPayload {
  readonly uuid?: string;
  readonly output: string;
  readonly priority: FalcoPriority;
  readonly rule: string;
  readonly time: string;
  /** The event source, lower-cased with spellings unified (`syscalls` is `syscall`); `syscall` when absent. */
  readonly source: string;
  readonly hostname?: string;
  readonly tags: readonly string[];
  /** `output_fields`: values are strings, numbers, booleans or null, as Falco renders them. */
  readonly outputFields: Readonly<Record<string, unknown>>;
}

/**
 * Validates a parsed Falco alert. Requires `rule` (a non-empty string without control
 * characters), a known `priority` (any letter case), an RFC 3339 `time` and a string `output`;
 * checks `source`, `hostname`, `uuid`, `tags` (strings) and `output_fields` (an object) when
 * present. Unknown top-level members are allowed and left in the data. `prefix` is the JSON path
 * of the alert (`""` for a raw body, `data` inside a CloudEvent).
 */
export function parseFalcoPayload(value: unknown, prefix: string, limits: Pick<DecodeLimits, "maxAttributeBytes">): Result<FalcoPayload> {
  const where = rootField(prefix);
  if (!isJsonObject(value)) return invalid(where, `${where} must be a JSON object holding a Falco alert`);
  const field = (name: string): string => joinPath(prefix, name);
  const rule = requiredText(value, "rule", field("rule"), limits.maxAttributeBytes);
  if (!rule.ok) return rule;
  const rawPriority = value["priority"];
  const priority = typeof rawPriority === "string" ? PRIORITY_BY_LOWER.get(rawPriority.toLowerCase()) : undefined;
  if (priority === undefined) {
    const shown = typeof rawPriority === "string" ? `${quoted(rawPriority, 32)} is` : "is missing or";
    return invalid(field("priority"), `${field("priority")} ${shown} not a Falco priority (one of ${FALCO_PRIORITIES.join(", ")})`);
  }
  const time = value["time"];
  if (typeof time !== "string" || !isRfc3339Timestamp(time)) return invalid(field("time"), `${field("time")} must be an RFC 3339 timestamp`);
  const output = value["output"];
  if (typeof output !== "string") return invalid(field("output"), `${field("output")} must be a string`);
  const source = parseSource(value["source"], field("source"));
  if (!source.ok) return source;
  const hostname = optionalText(value, "hostname", field("hostname"), limits.maxAttributeBytes);
  if (!hostname.ok) return hostname;
  const uuid = optionalText(value, "uuid", field("uuid"), limits.maxAttributeBytes);
  if (!uuid.ok) return uuid;
  const tags = parseTags(value["tags"], field("tags"));
  if (!tags.ok) return tags;
  const outputFields = value["output_fields"] ?? {};
  if (!isJsonObject(outputFields)) return invalid(field("output_fields"), `${field("output_fields")} must be a JSON object`);
  return accept({
    ...(uuid.value === undefined ? {} : { uuid: uuid.value }),
    ...(hostname.value === undefined ? {} : { hostname: hostname.value }),
    output,
    priority,
    rule: rule.value,
    time,
    source: source.value,
    tags: tags.value,
    outputFields,
  });
}

/** Unifies the spellings of a Falco event source: lower case, `syscalls` as `syscall`, `k8saudit` as `k8s_audit`. */
export function normaliseFalcoSource(source: string): string {
  const lower = source.toLowerCase();
  return SOURCE_SPELLINGS.get(lower) ?? lower;
}

function parseSource(raw: unknown, field: string): Result<string> {
  if (raw === undefined || raw === null) return accept("syscall");
  if (typeof raw !== "string") return invalid(field, `${field} must be a string`);
  const source = normaliseFalcoSource(raw);
  return SOURCE_SYNTAX.test(source) ? accept(source) : invalid(field, `${field} must be a short name of letters, digits, "_", "." or "-"`);
}

function requiredText(object: Readonly<Record<string, unknown>>, name: string, field: string, maxBytes: number): Result<string> {
  const text = optionalText(object, name, field, maxBytes);
  if (!text.ok) return text;
  return text.value === undefined || text.value === "" ? invalid(field, `${field} is required and must be a non-empty string`) : accept(text.value);
}

function optionalText(object: Readonly<Record<string, unknown>>, name: string, field: string, maxBytes: number): Result<string | undefined> {
  const value = object[name];
  if (value === undefined || value === null) return accept(undefined);
  if (typeof value !== "string") return invalid(field, `${field} must be a string`);
  if (utf8Length(value) > maxBytes) return invalid(field, `${field} is longer than ${maxBytes} bytes`);
  if (hasForbiddenCharacter(value)) return invalid(field, `${field} contains a control character, an unpaired surrogate or a noncharacter`);
  return accept(value);
}

function parseTags(raw: unknown, field: string): Result<readonly string[]> {
  if (raw === undefined || raw === null) return accept([]);
  if (!Array.isArray(raw) || raw.length > MAX_TAGS) return invalid(field, `${field} must be an array of at most ${MAX_TAGS} strings`);
  const tags: string[] = [];
  for (const [index, tag] of raw.entries()) {
    if (typeof tag !== "string") return invalid(joinPath(field, index), `${joinPath(field, index)} must be a string`);
    tags.push(tag);
  }
  return accept(tags);
}

function invalid(field: string, message: string): Rejection {
  return reject(RejectReason.InvalidFalco, field, message);
}
