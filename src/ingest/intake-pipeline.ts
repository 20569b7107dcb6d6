import type { Logger } from "pino";
import type { IntakeOptions } from "../config/options.ts";
import type { Clock } from "../runtime/clock.ts";
import { apiErrorStatus, classifyApiError } from "../runtime/errors.ts";
import { alertFromNatsMessage, type AlertIntakeOptions } from "./alert-intake.ts";
import type { Alert } from "./alert.ts";
import { toCelEvent } from "./match/cel-event.ts";
import { incidentNamePrefix } from "./identity/incident-name.ts";
import type { WriteOutcome, WriteRequest } from "./write/write-request.ts";
import { incidentSpecFromAlert, incidentObservables } from "./write/incident-spec-from-alert.ts";
import { eventHash } from "./identity/event-hash.ts";
import type { IntakeMetrics } from "./intake-metrics.ts";
import { incidentTargets } from "./match/intake-targets.ts";
import type { MatchInput, PlaybookMatch } from "./match/matcher-index.ts";
import type { Delivery, DeliveryHandler, Disposition } from "./transport/delivery.ts";
import { HTTP_SUBJECT_PREFIX } from "./transport/nats-publisher.ts";

/** Dead-letter reason of an alert whose Incident the API server refuses as invalid. */
export const INVALID_INCIDENT_REASON = "invalid-incident";

/** What the pipeline needs from the matcher. */
export interface AlertMatcher {
  match(input: MatchInput): PlaybookMatch[];
}

/** What the pipeline needs from the Incident writer. */
export interface AlertWriter {
  submit(request: WriteRequest): Promise<WriteOutcome>;
}

/** Options of {@link createDeliveryHandler}. */
export interface IntakePipelineOptions {
  intake: Pick<IntakeOptions, "defaultNamespace" | "unmatchedMinSeverity" | "dedupWindowMs">;
  alerts: AlertIntakeOptions;
  matcher: AlertMatcher;
  writer: AlertWriter;
  metrics: IntakeMetrics;
  logger: Logger;
  clock: Clock;
}

function transportOf(subject: string): "http" | "nats" {
  return subject.startsWith(`${HTTP_SUBJECT_PREFIX}.`) ? "http" : "nats";
}

function statusMessage(error: unknown): string {
  const body: unknown = error instanceof Error && "body" in error ? (error as { body: unknown }).body : undefined;
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") return body.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The handler of every JetStream delivery: decode, validate, normalise, redact (all in
 * `alertFromNatsMessage`), match Playbooks, then record the alert on each target Incident and
 * acknowledge only once every write is durable. Invalid input is dead-lettered with its reason;
 * an alert no Playbook matches below the configured severity is counted and acknowledged; an
 * Incident the API server refuses as invalid is dead-lettered as `invalid-incident`; any other
 * failure (conflicts beyond the writer's retries, throttling, server errors, network) is retried.
 */
export function createDeliveryHandler(options: IntakePipelineOptions): DeliveryHandler {
  const { metrics, logger } = options;
  return async (delivery: Delivery): Promise<Disposition> => {
    const decoded = alertFromNatsMessage({ subject: delivery.subject, headers: delivery.headers, data: delivery.data }, delivery.storedAt, options.alerts);
    if (!decoded.ok) {
      metrics.rejected.inc({ reason: decoded.reason });
      return { action: "dead-letter", reason: decoded.reason, field: decoded.field, message: decoded.message };
    }
    const alert = decoded.value;
    metrics.received.inc({ transport: transportOf(delivery.subject), kind: alert.kind });
    const requests = writeRequests(alert, options);
    if (requests.length === 0) {
      metrics.unmatchedDropped.inc();
      logger.debug({ type: alert.type, severity: alert.severity }, "unmatched alert dropped");
      return { action: "ack" };
    }
    delivery.releaseSlot();
    try {
      await Promise.all(requests.map((request) => options.writer.submit(request)));
    } catch (error: unknown) {
      if (classifyApiError(error) === "invalid") {
        return {
          action: "dead-letter",
          reason: INVALID_INCIDENT_REASON,
          field: "incident",
          message: `incident: the API server refused the Incident (HTTP ${String(apiErrorStatus(error))}): ${statusMessage(error)}`,
        };
      }
      return { action: "retry", cause: error };
    }
    metrics.latency.observe((performance.now() - delivery.receivedAt) / 1000);
    return { action: "ack" };
  };
}

/** The writes one alert needs: one per target Incident. */
export function writeRequests(alert: Alert, options: Pick<IntakePipelineOptions, "intake" | "matcher" | "clock">): WriteRequest[] {
  const matches = options.matcher.match({ type: alert.type, source: alert.source, severity: alert.severity, namespace: alert.resources.namespace, event: toCelEvent(alert) });
  const targets = incidentTargets({ severity: alert.severity, fingerprint: alert.fingerprint, namePrefix: incidentNamePrefix(alert) }, matches, options.intake);
  if (targets.length === 0) return [];
  const spec = incidentSpecFromAlert(alert);
  const fold = {
    hash: eventHash(alert.source, alert.id),
    alertStatus: alert.status,
    // When kube-soar saw it: producer clocks (and replays) must not decide the dedup window.
    time: options.clock.now().toISOString(),
    observables: incidentObservables(alert),
  };
  return targets.map((target) => ({ target, spec, fold }));
}
