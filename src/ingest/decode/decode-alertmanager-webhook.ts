import { ALERTMANAGER_EVENT_TYPE, hasNoEnd, parseAlertmanagerAlert, type AlertmanagerAlert } from "./alertmanager-alert.ts";
import { alertmanagerLabelsFingerprint } from "../identity/alertmanager-fingerprint.ts";
import { hasForbiddenCharacter } from "./attribute-text.ts";
import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./decode-limits.ts";
import { buildEnvelope, withData } from "./envelope-builder.ts";
import { joinPath } from "./json-path.ts";
import { accept, reject, RejectReason, type Rejection, type Result } from "../rejection.ts";
import { isJsonObject, parseJsonBytes } from "./safe-json.ts";
import { utf8Length } from "./text-encoding.ts";

interface WebhookContext {
  readonly receiver?: string;
  readonly externalURL?: string;
  readonly groupKey?: string;
}

/**
 * Decodes an Alertmanager webhook body (version "4") into one CloudEvent per alert, firing
 * and resolved alike. Each event has type `io.prometheus.alertmanager.alert.v1`, id
 * `<fingerprint>:<startsAt>:<status>` (the fingerprint computed from the labels when absent),
 * source the webhook's `externalURL` (or `urn:alertmanager:receiver:<receiver>`), subject the
 * `alertname` label, time `startsAt` (or `endsAt` once resolved), extensions `receiver` and
 * `groupkey`, and data the alert object as received. Any invalid alert refuses the whole body.
 */
export function decodeAlertmanagerWebhook(body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Result<readonly CloudEventEnvelope[]> {
  // The webhook object and its alerts array sit around each alert, the event data.
  const parsed = parseJsonBytes(body, limits, "", 2);
  if (!parsed.ok) return parsed;
  const webhook = parsed.value;
  if (!isJsonObject(webhook)) return invalid("body", "body must be a JSON object holding an Alertmanager webhook");
  if (webhook["version"] !== "4") return invalid("version", `version must be "4", the Alertmanager webhook format intake understands`);
  const context = webhookContext(webhook);
  if (!context.ok) return context;
  const alerts = webhook["alerts"];
  if (!Array.isArray(alerts) || alerts.length === 0) return invalid("alerts", "alerts must be a non-empty array of alerts");
  if (alerts.length > limits.maxBatchEvents) {
    return reject(RejectReason.TooLarge, "alerts", `alerts holds ${alerts.length} alerts, more than the limit of ${limits.maxBatchEvents}`);
  }
  const events: CloudEventEnvelope[] = [];
  for (const [index, item] of alerts.entries()) {
    const path = joinPath("alerts", index);
    const alert = parseAlertmanagerAlert(item, path);
    if (!alert.ok) return alert;
    const event = alertEnvelope(alert.value, item, context.value, limits);
    if (!event.ok) return event;
    events.push(event.value);
  }
  return accept(events);
}

/** The event id of an alert: its fingerprint, start and status, stable across re-notifications. */
export function alertmanagerEventId(alert: AlertmanagerAlert): string {
  return `${alert.fingerprint ?? alertmanagerLabelsFingerprint(alert.labels)}:${alert.startsAt}:${alert.status}`;
}

function alertEnvelope(alert: AlertmanagerAlert, raw: unknown, context: WebhookContext, limits: DecodeLimits): Result<CloudEventEnvelope> {
  const source =
    context.externalURL !== undefined && context.externalURL !== ""
      ? context.externalURL
      : `urn:alertmanager:receiver:${encodeURIComponent(context.receiver ?? "")}`;
  const optional = (name: string, value: string | undefined): [string, string][] =>
    value !== undefined && value !== "" && utf8Length(value) <= limits.maxAttributeBytes && !hasForbiddenCharacter(value) ? [[name, value]] : [];
  const attributes = new Map<string, unknown>([
    ["specversion", "1.0"],
    ["id", alertmanagerEventId(alert)],
    ["source", source],
    ["type", ALERTMANAGER_EVENT_TYPE],
    ["time", alert.status === "resolved" && !hasNoEnd(alert) && alert.endsAt !== undefined ? alert.endsAt : alert.startsAt],
    ["datacontenttype", "application/json"],
    ...optional("subject", alert.labels["alertname"]),
    ...optional("receiver", context.receiver),
    ...optional("groupkey", context.groupKey),
  ]);
  const built = buildEnvelope({ attributes, prefix: "" }, limits);
  if (!built.ok) {
    return built.field === "source" ? invalid("externalURL", `externalURL cannot be the event source: ${built.message}`) : invalid(built.field, built.message);
  }
  return accept(withData(built.value, raw));
}

function webhookContext(webhook: Readonly<Record<string, unknown>>): Result<WebhookContext> {
  const context: Record<string, string> = {};
  for (const name of ["receiver", "externalURL", "groupKey"] as const) {
    const value = webhook[name] ?? undefined;
    if (value === undefined) continue;
    if (typeof value !== "string") return invalid(name, `${name} must be a string`);
    context[name] = value;
  }
  return accept(context);
}

function invalid(field: string, message: string): Rejection {
  return reject(RejectReason.InvalidAlertmanager, field, message);
}
