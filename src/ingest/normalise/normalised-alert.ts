import { boundText } from "../../api/v1alpha1/bounds.ts";
import type { Severity } from "../../api/v1alpha1/index.ts";
import type { Alert } from "../alert.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import type { DecodeLimits } from "../decode/decode-limits.ts";

/**
 * An alert as a normaliser builds it, before protection: `titleText` is the raw title and
 * `data` the event data as received; `finaliseAlert` redacts, bounds and sanitises them.
 */
export type NormalisedAlert = Omit<Alert, "title" | "data" | "dataTruncated"> & {
  readonly titleText: string;
  readonly data: unknown;
};

/** What normalisers need besides the event. */
export interface NormaliseOptions {
  /** Severity for alerts whose producer gave none intake recognises. */
  readonly defaultSeverity: Severity;
  /** When intake received the event (RFC 3339); the alert time when the event has none. */
  readonly receivedAt: string;
  readonly limits: DecodeLimits;
}

const MAX_LABELS = 64;
const MAX_LABEL_KEY_LENGTH = 256;
const MAX_LABEL_VALUE_LENGTH = 1024;

/**
 * Bounds a label map: at most 64 entries (in key order), keys longer than 256 characters
 * dropped, values cut to 1024 characters with a trailing `…`. Values are otherwise kept as
 * the producer sent them.
 */
export function boundLabels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const entries = Object.entries(labels)
    .filter(([key]) => key.length <= MAX_LABEL_KEY_LENGTH)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_LABELS)
    .map(([key, value]): [string, string] => [key, boundText(value, MAX_LABEL_VALUE_LENGTH)]);
  return Object.fromEntries(entries);
}

/** A string value that carries information: not empty and not Falco's `<NA>` placeholder. */
export function meaningful(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "<NA>" ? value : undefined;
}

/**
 * The CloudEvent attributes every normaliser copies unchanged into its alert; `time` falls back
 * to `fallbackTime` when the event carries none.
 */
export function envelopeOf(
  event: CloudEventEnvelope,
  fallbackTime: string,
): Pick<NormalisedAlert, "id" | "source" | "type" | "subject" | "time" | "specversion"> {
  return {
    id: event.id,
    source: event.source,
    type: event.type,
    ...(event.subject === undefined ? {} : { subject: event.subject }),
    time: event.time ?? fallbackTime,
    specversion: event.specversion,
  };
}
