import { hasForbiddenCharacter } from "./attribute-text.ts";
import { joinPath, rootField } from "./json-path.ts";
import { accept, reject, RejectReason, type Rejection, type Result } from "../rejection.ts";
import { isRfc3339Timestamp } from "../../api/rfc3339.ts";
import { isJsonObject } from "./safe-json.ts";

/** The CloudEvent type intake gives each alert of an Alertmanager webhook. */
export const ALERTMANAGER_EVENT_TYPE = "io.prometheus.alertmanager.alert.v1";

const FINGERPRINT = /^[0-9a-f]{1,64}$/i;
const MAX_LABEL_NAME_CHARS = 256;

/** One alert of an Alertmanager webhook (version 4), validated. */
export interface AlertmanagerAlert {
  readonly status: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
  /** Alertmanager's hash of the label set, lower-cased, when sent. */
  readonly fingerprint?: string;
}

/**
 * Validates one alert: `status` firing or resolved, `labels` and `annotations` objects of
 * strings (label names non-empty, without control characters), `startsAt` RFC 3339, and,
 * when present, `endsAt` RFC 3339, `generatorURL` a string and `fingerprint` hexadecimal.
 * `path` is where the alert sits (`alerts[2]`, or `data` inside a CloudEvent).
 */
export function parseAlertmanagerAlert(value: unknown, path: string): Result<AlertmanagerAlert> {
  const where = rootField(path);
  if (!isJsonObject(value)) return invalid(where, `${where} must be a JSON object holding an Alertmanager alert`);
  const field = (name: string): string => joinPath(path, name);
  const status = value["status"];
  if (status !== "firing" && status !== "resolved") return invalid(field("status"), `${field("status")} must be "firing" or "resolved"`);
  const labels = stringMap(value["labels"], field("labels"), true);
  if (!labels.ok) return labels;
  const annotations = stringMap(value["annotations"] ?? {}, field("annotations"), false);
  if (!annotations.ok) return annotations;
  const startsAt = value["startsAt"];
  if (typeof startsAt !== "string" || !isRfc3339Timestamp(startsAt)) {
    return invalid(field("startsAt"), `${field("startsAt")} must be an RFC 3339 timestamp`);
  }
  const endsAt = value["endsAt"] ?? undefined;
  if (endsAt !== undefined && (typeof endsAt !== "string" || !isRfc3339Timestamp(endsAt))) {
    return invalid(field("endsAt"), `${field("endsAt")} must be an RFC 3339 timestamp`);
  }
  const generatorURL = value["generatorURL"] ?? undefined;
  if (generatorURL !== undefined && typeof generatorURL !== "string") return invalid(field("generatorURL"), `${field("generatorURL")} must be a string`);
  const fingerprint = value["fingerprint"] ?? undefined;
  if (fingerprint !== undefined && (typeof fingerprint !== "string" || !FINGERPRINT.test(fingerprint))) {
    return invalid(field("fingerprint"), `${field("fingerprint")} must be a hexadecimal string of at most 64 digits`);
  }
  return accept({
    status,
    labels: labels.value,
    annotations: annotations.value,
    startsAt,
    ...(endsAt === undefined ? {} : { endsAt }),
    ...(generatorURL === undefined ? {} : { generatorURL }),
    ...(fingerprint === undefined ? {} : { fingerprint: fingerprint.toLowerCase() }),
  });
}

/** True when the alert is still firing by its `endsAt` (absent, or Go's zero time). */
export function hasNoEnd(alert: AlertmanagerAlert): boolean {
  return alert.endsAt === undefined || alert.endsAt.startsWith("0001-01-01");
}

function stringMap(raw: unknown, field: string, required: boolean): Result<Readonly<Record<string, string>>> {
  if (raw === undefined && !required) return accept({});
  if (!isJsonObject(raw)) return invalid(field, `${field} must be a JSON object of strings`);
  for (const [name, value] of Object.entries(raw)) {
    const entryField = joinPath(field, name);
    if (name === "" || name.length > MAX_LABEL_NAME_CHARS || hasForbiddenCharacter(name)) {
      return invalid(entryField, `${entryField} has an empty, over-long or control-character name`);
    }
    if (typeof value !== "string") return invalid(entryField, `${entryField} must be a string`);
  }
  return accept(raw as Readonly<Record<string, string>>);
}

function invalid(field: string, message: string): Rejection {
  return reject(RejectReason.InvalidAlertmanager, field, message);
}
