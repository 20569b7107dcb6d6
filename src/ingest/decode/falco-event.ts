import { createHash } from "node:crypto";
import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import type { DecodeLimits } from "./decode-limits.ts";
import { buildEnvelope, withData } from "./envelope-builder.ts";
import { parseFalcoPayload } from "./falco-payload.ts";
import { accept, reject, RejectReason, type Result } from "../rejection.ts";

/** The CloudEvent type of a Falco alert, as Falcosidekick's CloudEvents output sets it. */
export const FALCO_EVENT_TYPE = "falco.rule.output.v1";

/** The CloudEvent source of a Falco alert, as Falcosidekick's CloudEvents output sets it. */
export const FALCO_EVENT_SOURCE = "https://falco.org";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `uuid` Falcosidekick adds to a Falco alert, lower-cased, when `alert` is an object whose
 * `uuid` is a UUID; undefined otherwise (Falco itself sends none). It names the alert on every
 * Falcosidekick output, whatever envelope carries it.
 */
export function falcoAlertUuid(alert: unknown): string | undefined {
  if (typeof alert !== "object" || alert === null || Array.isArray(alert)) return undefined;
  const uuid: unknown = (alert as Record<string, unknown>)["uuid"];
  return typeof uuid === "string" && UUID.test(uuid) ? uuid.toLowerCase() : undefined;
}

/**
 * Wraps a raw Falco alert (parsed JSON plus the exact bytes it came in) as the CloudEvent
 * Falcosidekick's CloudEvents output would have produced: type `falco.rule.output.v1`, source
 * `https://falco.org`, time from the alert, extensions `priority`, `rule`, `eventsource` and
 * `hostname`, data the alert itself. The id is {@link falcoAlertUuid} when there is one,
 * otherwise the SHA-256 of the payload bytes, so a JetStream redelivery of the same bytes
 * always gets the same id.
 */
export function falcoEnvelope(value: unknown, bytes: Uint8Array, limits: DecodeLimits): Result<CloudEventEnvelope> {
  const payload = parseFalcoPayload(value, "", limits);
  if (!payload.ok) return payload;
  const { priority, rule, source, hostname, time } = payload.value;
  const id = falcoAlertUuid(value) ?? createHash("sha256").update(bytes).digest("hex");
  const attributes = new Map<string, unknown>([
    ["specversion", "1.0"],
    ["id", id],
    ["source", FALCO_EVENT_SOURCE],
    ["type", FALCO_EVENT_TYPE],
    ["time", time],
    ["datacontenttype", "application/json"],
    ["priority", priority],
    ["rule", rule],
    ["eventsource", source],
    ...(hostname === undefined ? [] : [["hostname", hostname] as const]),
  ]);
  const built = buildEnvelope({ attributes, prefix: "" }, limits);
  if (!built.ok) return reject(RejectReason.InvalidFalco, built.field, built.message);
  return accept(withData(built.value, value));
}
