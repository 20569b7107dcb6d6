import { subjectToken } from "../../runtime/nats-subjects.ts";
import { CliFailure } from "../cli-errors.ts";
import { falcoSubject } from "./falco-subject.ts";

/** How each format is named to people. */
export const FORMAT_NAMES = { falco: "Falco alert", cloudevent: "CloudEvent", alertmanager: "Alertmanager webhook" } as const;

/** An alert to send, with what its format decides: the receiver's endpoint, the NATS subject and the content type. */
export interface AlertPayload {
  readonly format: "falco" | "cloudevent" | "alertmanager";
  readonly body: Buffer;
  /** The receiver's endpoint for this format. */
  readonly path: "/falco" | "/events" | "/alertmanager";
  readonly contentType: string;
  /** The subject intake reads this format on; undefined when it comes over HTTP only. */
  readonly subject: string | undefined;
  /** What identifies it for the person sending (Falco's uuid, the CloudEvent's id). */
  readonly id: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What `bytes` (from `origin`, named in errors) are: a Falco alert (`output`, `priority`, `rule`
 * and `time` strings; sent to `/falco`, or raw on `falco.<priority>.<rule>`), a structured
 * CloudEvent (`specversion`; `/events`, or `soar.events.<type>` as
 * `application/cloudevents+json`) or an Alertmanager webhook (`version` and `alerts`;
 * `/alertmanager`, HTTP only). Anything else is refused, saying what was expected. The bytes are
 * sent as they are.
 */
export function alertPayload(bytes: Buffer, origin: string): AlertPayload {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error: unknown) {
    throw new CliFailure(`${origin}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(value)) throw new CliFailure(`${origin}: expected a JSON object (a Falco alert, a CloudEvent or an Alertmanager webhook)`);
  if (typeof value.specversion === "string") {
    const type = typeof value.type === "string" ? value.type : "";
    return { format: "cloudevent", body: bytes, path: "/events", contentType: "application/cloudevents+json", subject: `soar.events.${subjectToken(type)}`, id: typeof value.id === "string" ? value.id : undefined };
  }
  if (Array.isArray(value.alerts) && typeof value.version === "string") {
    return { format: "alertmanager", body: bytes, path: "/alertmanager", contentType: "application/json", subject: undefined, id: undefined };
  }
  const { output, priority, rule, time } = value;
  if (typeof output === "string" && typeof priority === "string" && typeof rule === "string" && typeof time === "string") {
    return { format: "falco", body: bytes, path: "/falco", contentType: "application/json", subject: falcoSubject({ priority, rule }), id: typeof value.uuid === "string" ? value.uuid : undefined };
  }
  throw new CliFailure(`${origin}: not an alert kube-soar reads: a Falco alert has output, priority, rule and time strings, a CloudEvent a specversion, an Alertmanager webhook a version and alerts`);
}
