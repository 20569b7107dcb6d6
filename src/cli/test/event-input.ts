import type { ReceiverPayload } from "../../ingest/alerts-from-payload.ts";
import type { ReceiverRoutes } from "../../ingest/transport/http-receiver.ts";

/** How an event file was sent: the receiver endpoint a producer of its format posts to. */
export const EVENT_FORMATS = ["auto", "falco", "alertmanager", "cloudevent"] as const;

/** One of {@link EVENT_FORMATS}. */
export type EventFormat = (typeof EVENT_FORMATS)[number];

const ROUTES: Readonly<Record<Exclude<EventFormat, "auto">, keyof ReceiverRoutes>> = {
  falco: "falco",
  alertmanager: "alertmanager",
  cloudevent: "events",
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The format of a JSON payload by its shape, or undefined when it has none of them. */
function detectedFormat(value: unknown): Exclude<EventFormat, "auto"> | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => isPlainObject(item) && "specversion" in item) ? "cloudevent" : undefined;
  if (!isPlainObject(value)) return undefined;
  if ("specversion" in value) return "cloudevent";
  if (Array.isArray(value["alerts"])) return "alertmanager";
  if ("rule" in value && "output" in value) return "falco";
  return undefined;
}

/** The payload, or why the file cannot be one. */
export type EventPayloadResult = { readonly ok: true; readonly payload: ReceiverPayload; readonly format: Exclude<EventFormat, "auto"> } | { readonly ok: false; readonly message: string };

/**
 * The request a producer would send with `body`: a Falco alert to `/falco` (Falcosidekick's
 * webhook), an Alertmanager webhook to `/alertmanager`, one CloudEvent in structured mode (or a
 * batch, a JSON list of them) to `/events`. With `auto`, the format is told from the JSON's
 * shape: `specversion` for a CloudEvent, an `alerts` list for Alertmanager, `rule` and `output`
 * for Falco.
 */
export function eventPayload(body: Uint8Array, format: EventFormat): EventPayloadResult {
  let chosen = format === "auto" ? undefined : format;
  if (chosen === undefined) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(body));
    } catch (error: unknown) {
      return { ok: false, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
    chosen = detectedFormat(value);
    if (chosen === undefined) return { ok: false, message: "neither a CloudEvent (specversion), an Alertmanager webhook (alerts) nor a Falco alert (rule, output): give --format" };
  }
  const contentType = chosen !== "cloudevent" ? "application/json" : body.find((byte) => byte > 0x20) === 0x5b ? "application/cloudevents-batch+json" : "application/cloudevents+json";
  return { ok: true, format: chosen, payload: { route: ROUTES[chosen], headers: { "content-type": contentType }, body } };
}
