import type { Severity } from "../api/v1alpha1/index.ts";
import type { Alert } from "./alert.ts";
import type { CloudEventEnvelope } from "./decode/cloudevent-envelope.ts";
import { DEFAULT_MAX_DATA_BYTES } from "./normalise/bound-event-data.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./decode/decode-limits.ts";
import { decodeNatsMessage, type NatsMessageInput } from "./decode/decode-nats-message.ts";
import { finaliseAlert } from "./normalise/finalise-alert.ts";
import { normaliseEvent } from "./normalise/normalise-event.ts";
import { DEFAULT_REDACTION_POLICY, type RedactionPolicy } from "./normalise/redaction.ts";
import { accept, type Result } from "./rejection.ts";

/** Everything intake needs to turn messages into alerts, fixed at start-up. */
export interface AlertIntakeOptions {
  readonly limits: DecodeLimits;
  /** Severity for alerts whose producer gave none intake recognises. */
  readonly defaultSeverity: Severity;
  readonly redaction: RedactionPolicy;
  /** Bound on the stored JSON of each alert's data, in bytes. */
  readonly maxDataBytes: number;
}

/** Default limits, severity medium, the default redaction policy, 64 KiB of data. */
export const DEFAULT_ALERT_INTAKE_OPTIONS: AlertIntakeOptions = Object.freeze({
  limits: DEFAULT_DECODE_LIMITS,
  defaultSeverity: "medium",
  redaction: DEFAULT_REDACTION_POLICY,
  maxDataBytes: DEFAULT_MAX_DATA_BYTES,
});

/**
 * Decodes, validates, normalises, redacts and bounds one NATS message into an alert, or
 * rejects it. `receivedAt` becomes the alert time when the event has none: pass the JetStream
 * message's stored timestamp so that a redelivery yields an identical alert.
 */
export function alertFromNatsMessage(message: NatsMessageInput, receivedAt: Date, options: AlertIntakeOptions = DEFAULT_ALERT_INTAKE_OPTIONS): Result<Alert> {
  const event = decodeNatsMessage(message, options.limits);
  return event.ok ? alertFromEvent(event.value, receivedAt, options) : event;
}

/** Normalises, redacts and bounds one decoded event. */
export function alertFromEvent(event: CloudEventEnvelope, receivedAt: Date, options: AlertIntakeOptions = DEFAULT_ALERT_INTAKE_OPTIONS): Result<Alert> {
  const normalised = normaliseEvent(event, { defaultSeverity: options.defaultSeverity, receivedAt: receivedAt.toISOString(), limits: options.limits });
  return normalised.ok ? accept(finaliseAlert(normalised.value, options)) : normalised;
}
