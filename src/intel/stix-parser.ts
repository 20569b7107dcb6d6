import { parseRfc3339 } from "../api/rfc3339.ts";
import type { StixFormat } from "./feed-settings.ts";
import type { StatedAttributes } from "./indicator-attributes.ts";
import { quoted } from "./indicator-value.ts";
import type { SourceParser, SourceSink } from "./source-sink.ts";
import { parseStixPattern } from "./stix-pattern.ts";

type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Reads a STIX 2.1 bundle: every object of `type: indicator` that is not revoked, with
 * `pattern_type: stix` and a pattern `parseStixPattern` supports, adds its values with its
 * `confidence`, `labels`, `valid_from` and `valid_until`; any other pattern is counted as
 * unsupported; objects of other types are ignored. A rejection's line is the object's 1-based
 * position in `objects`. Fails as a whole when the text is not JSON or not a bundle.
 */
export const parseStix: SourceParser<StixFormat> = (text, _format, sink) => {
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error: unknown) {
    return `the STIX bundle is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!isObject(bundle) || bundle["type"] !== "bundle") return 'the document is not a STIX bundle (an object with "type": "bundle")';
  const objects = bundle["objects"] ?? [];
  if (!Array.isArray(objects)) return 'the STIX bundle\'s "objects" is not an array';
  objects.forEach((object: unknown, index) => {
    readObject(index + 1, object, sink);
  });
  return undefined;
};

function readObject(position: number, object: unknown, sink: SourceSink): void {
  if (!isObject(object)) {
    sink.reject(position, "the object is not a JSON object");
    return;
  }
  if (object["type"] !== "indicator" || object["revoked"] === true) return;
  const id = typeof object["id"] === "string" ? object["id"] : "indicator";
  if (object["pattern_type"] !== "stix" || typeof object["pattern"] !== "string") {
    sink.unsupportedPattern();
    return;
  }
  const comparisons = parseStixPattern(object["pattern"]);
  if (comparisons === undefined) {
    sink.unsupportedPattern();
    return;
  }
  const stated = attributesOf(object);
  if (typeof stated === "string") {
    sink.reject(position, `${quoted(id)}: ${stated}`);
    return;
  }
  for (const { kind, value } of comparisons) sink.value(position, value.trim(), kind, stated);
}

function attributesOf(object: JsonObject): StatedAttributes | string {
  const statedConfidence = object["confidence"];
  const confidence = typeof statedConfidence === "number" && Number.isInteger(statedConfidence) && statedConfidence >= 0 && statedConfidence <= 100 ? statedConfidence : undefined;
  if (statedConfidence !== undefined && confidence === undefined) return "confidence is not an integer from 0 to 100";
  const statedLabels = object["labels"];
  const labels = Array.isArray(statedLabels) && statedLabels.every((label) => typeof label === "string") ? (statedLabels as readonly string[]) : undefined;
  if (statedLabels !== undefined && labels === undefined) return "labels is not a list of strings";
  const validFrom = timeOf(object, "valid_from");
  const validUntil = timeOf(object, "valid_until");
  if (typeof validFrom === "string") return validFrom;
  if (typeof validUntil === "string") return validUntil;
  if (validFrom !== undefined && validUntil !== undefined && validUntil <= validFrom) return "valid_until is not after valid_from";
  return { confidence, labels, validFrom, validUntil };
}

function timeOf(object: JsonObject, field: string): number | string | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  const time = typeof value === "string" ? parseRfc3339(value) : undefined;
  return time ?? `${field} is not an RFC 3339 time`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
