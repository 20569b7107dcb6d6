// Test support for intake: entry points that take an HTTP body straight to alerts (production
// publishes HTTP bodies to JetStream and decodes them again from NATS), and an oracle that
// checks the Alert contract.
import { OBSERVABLE_TYPES, SEVERITIES, type AffectedResources } from "../api/v1alpha1/index.ts";
import { ALERT_KINDS, MAX_ALERT_OBSERVABLES, type Alert } from "../ingest/alert.ts";
import { alertFromEvent, DEFAULT_ALERT_INTAKE_OPTIONS, type AlertIntakeOptions } from "../ingest/alert-intake.ts";
import { validResources } from "../ingest/normalise/alert-resources.ts";
import { hasForbiddenCharacter } from "../ingest/decode/attribute-text.ts";
import { DEFAULT_MAX_DATA_BYTES } from "../ingest/normalise/bound-event-data.ts";
import type { CloudEventEnvelope } from "../ingest/decode/cloudevent-envelope.ts";
import { decodeAlertmanagerWebhook } from "../ingest/decode/decode-alertmanager-webhook.ts";
import { decodeFalcoHttp } from "../ingest/decode/decode-falco-http.ts";
import { decodeHttpCloudEvents } from "../ingest/decode/decode-http-cloudevents.ts";
import type { HeaderSource } from "../ingest/decode/header-map.ts";
import { canonicalObservable } from "../api/v1alpha1/observable-values.ts";
import { accept, RejectReason, type Result } from "../ingest/rejection.ts";
import { isRfc3339Timestamp } from "../api/rfc3339.ts";
import { utf8Length } from "../ingest/decode/text-encoding.ts";
import { fitsLength, MAX_TITLE_LENGTH } from "../api/v1alpha1/bounds.ts";
import type { CreationLimits } from "../config/options.ts";
import type { AlertMatcher, AlertSilencer } from "../ingest/intake-pipeline.ts";
import { NOTHING_SILENCED } from "../ingest/suppress/suppression-index.ts";

/** `alertFromNatsMessage` for an HTTP request of CloudEvents (binary, structured or batch): all alerts, or one rejection. */
export function alertsFromHttpCloudEvents(headers: HeaderSource, body: Uint8Array, receivedAt: Date, options: AlertIntakeOptions = DEFAULT_ALERT_INTAKE_OPTIONS): Result<readonly Alert[]> {
  return alertsFromEvents(decodeHttpCloudEvents(headers, body, options.limits), receivedAt, options);
}

/** `alertFromNatsMessage` for an Alertmanager webhook body: one alert per webhook alert, or one rejection. */
export function alertsFromAlertmanagerWebhook(body: Uint8Array, receivedAt: Date, options: AlertIntakeOptions = DEFAULT_ALERT_INTAKE_OPTIONS): Result<readonly Alert[]> {
  return alertsFromEvents(decodeAlertmanagerWebhook(body, options.limits), receivedAt, options);
}

/** `alertFromNatsMessage` for a Falco alert posted over HTTP (plain JSON or Falcosidekick CloudEvents). */
export function alertsFromFalcoHttp(headers: HeaderSource, body: Uint8Array, receivedAt: Date, options: AlertIntakeOptions = DEFAULT_ALERT_INTAKE_OPTIONS): Result<readonly Alert[]> {
  return alertsFromEvents(decodeFalcoHttp(headers, body, options.limits), receivedAt, options);
}

function alertsFromEvents(events: Result<readonly CloudEventEnvelope[]>, receivedAt: Date, options: AlertIntakeOptions): Result<readonly Alert[]> {
  if (!events.ok) return events;
  const alerts: Alert[] = [];
  for (const event of events.value) {
    const alert = alertFromEvent(event, receivedAt, options);
    if (!alert.ok) return alert;
    alerts.push(alert.value);
  }
  return accept(alerts);
}

/** True when `value` is one of the closed set of rejection reasons. */
export function isRejectReason(value: unknown): value is RejectReason {
  return typeof value === "string" && (Object.values(RejectReason) as readonly string[]).includes(value);
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const UNSAFE_IN_TITLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * Lists every way `alert` breaks the `Alert` contract (empty when it keeps it): attributes
 * non-empty and free of control characters, time RFC 3339, kind/status/severity from their
 * sets, a safe bounded title, a 64-hex fingerprint, resources that are valid names, at most
 * `MAX_ALERT_OBSERVABLES` valid distinct observables, string labels and extensions, and data whose
 * JSON fits `maxDataBytes`. A property every alert intake produces must have.
 */
export function alertProblems(alert: Alert, maxDataBytes: number = DEFAULT_MAX_DATA_BYTES): string[] {
  const problems: string[] = [];
  for (const name of ["id", "source", "type"] as const) {
    if (alert[name] === "" || hasForbiddenCharacter(alert[name])) problems.push(`${name} must be a non-empty string without control characters`);
  }
  if (alert.subject !== undefined && (alert.subject === "" || hasForbiddenCharacter(alert.subject))) problems.push("subject must be non-empty without control characters");
  const specversion: string = alert.specversion;
  const status: string = alert.status;
  if (specversion !== "1.0") problems.push("specversion must be 1.0");
  if (!isRfc3339Timestamp(alert.time)) problems.push("time must be RFC 3339");
  if (!ALERT_KINDS.includes(alert.kind)) problems.push("kind is not a known alert kind");
  if (status !== "firing" && status !== "resolved") problems.push("status must be firing or resolved");
  if (!SEVERITIES.includes(alert.severity)) problems.push("severity is not a known severity");
  if (alert.title === "" || !fitsLength(alert.title, MAX_TITLE_LENGTH) || UNSAFE_IN_TITLE.test(alert.title)) problems.push("title must be 1-256 safe characters");
  if (!FINGERPRINT.test(alert.fingerprint)) problems.push("fingerprint must be 64 lower-case hex digits");
  if (!sameResources(alert.resources, validResources(alert.resources))) problems.push("resources must all be valid names");
  problems.push(...observableProblems(alert));
  for (const [name, map] of [["labels", alert.labels], ["extensions", alert.extensions]] as const) {
    if (Object.values(map).some((value) => typeof value !== "string")) problems.push(`${name} values must be strings`);
  }
  if (alert.data === undefined) problems.push("data must be null rather than absent");
  else if (utf8Length(JSON.stringify(alert.data)) > maxDataBytes) problems.push(`data must fit ${maxDataBytes} bytes of JSON`);
  if (typeof alert.dataTruncated !== "boolean") problems.push("dataTruncated must be a boolean");
  return problems;
}

function observableProblems(alert: Alert): string[] {
  const problems: string[] = [];
  if (alert.observables.length > MAX_ALERT_OBSERVABLES) problems.push(`observables must number at most ${MAX_ALERT_OBSERVABLES}`);
  const seen = new Set<string>();
  for (const { type, value } of alert.observables) {
    if (!OBSERVABLE_TYPES.includes(type) || canonicalObservable(type, value) !== value) problems.push(`observable ${type} is not a valid canonical value`);
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) problems.push(`observable ${type} is duplicated`);
    seen.add(key);
  }
  return problems;
}

function sameResources(a: AffectedResources, b: AffectedResources): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

/**
 * Creation limits no test or benchmark reaches unless it sets its own: tests of other
 * behaviours open many Incidents quickly and must not be folded into flood Incidents.
 */
export const UNREACHED_CREATION_LIMITS: CreationLimits = Object.freeze({
  global: Object.freeze({ burst: 1_000_000, perMinute: 1_000_000 }),
  perSource: Object.freeze({ burst: 1_000_000, perMinute: 1_000_000 }),
  maxSources: 10_000,
  unmatchedMaxOpen: 1_000_000,
});

/** A matcher of no Playbooks: every alert is unmatched. */
export const NO_PLAYBOOKS: AlertMatcher = {
  // eslint-disable-next-line require-yield -- no Playbook: nothing to pause between
  *matchSteps() {
    return [];
  },
};

/** A silencer without suppressions: nothing is silenced. */
export const NO_SUPPRESSIONS: AlertSilencer = {
  // eslint-disable-next-line require-yield -- no suppression: nothing to pause between
  *silenceSteps() {
    return NOTHING_SILENCED;
  },
  record: () => undefined,
};
