import type { Logger } from "pino";
import type { IntakeOptions } from "../config/options.ts";
import type { Clock } from "../runtime/clock.ts";
import type { EventLoopTurns } from "../runtime/event-loop-turns.ts";
import { apiErrorStatus, classifyApiError } from "../runtime/errors.ts";
import { alertFromEvent, type AlertIntakeOptions } from "./alert-intake.ts";
import { decodeNatsMessage } from "./decode/decode-nats-message.ts";
import type { Alert } from "./alert.ts";
import { toCelEvent } from "./match/cel-event.ts";
import { incidentNamePrefix } from "./identity/incident-name.ts";
import type { WriteOutcome, WriteRequest } from "./write/write-request.ts";
import { floodRequest } from "./write/flood-request.ts";
import { incidentSpecFromAlert, incidentObservables } from "./write/incident-spec-from-alert.ts";
import { eventHash } from "./identity/event-hash.ts";
import type { IntakeMetrics } from "./intake-metrics.ts";
import { incidentTargets } from "./match/intake-targets.ts";
import type { MatchInput, PlaybookMatch } from "./match/matcher-index.ts";
import { EventVariables } from "./match/event-variables.ts";
import { alertRule } from "./suppress/silenced-sample.ts";
import { NOTHING_SILENCED, type SilenceInput, type Silencing } from "./suppress/suppression-index.ts";
import type { Delivery, DeliveryHandler, Disposition } from "./transport/delivery.ts";
import { HTTP_SUBJECT_PREFIX } from "./transport/nats-publisher.ts";
import type { Result } from "./rejection.ts";

/** Dead-letter reason of an alert whose Incident the API server refuses as invalid. */
export const INVALID_INCIDENT_REASON = "invalid-incident";

/** What the pipeline needs from the matcher. */
export interface AlertMatcher {
  /** The matching Playbooks, computed in steps: other work may run at every pause (see `PlaybookIndex.matchSteps`). */
  matchSteps(input: MatchInput): Generator<void, PlaybookMatch[], void>;
}

/** What the pipeline needs from the Incident writer. */
export interface AlertWriter {
  submit(request: WriteRequest): Promise<WriteOutcome>;
}

/** What the pipeline needs from the AlertSuppressions. */
export interface AlertSilencer {
  /** Which of the alert's Incidents are silenced, computed in steps (see `SuppressionIndex.silenceSteps`). */
  silenceSteps(input: SilenceInput): Generator<void, Silencing, void>;
  /** Counts the alert for each suppression that silenced it. */
  record(alert: Alert, silencing: Silencing): void;
}

/** Options of {@link createDeliveryHandler}. */
export interface IntakePipelineOptions {
  intake: Pick<IntakeOptions, "defaultNamespace" | "unmatchedMinSeverity" | "dedupWindowMs">;
  alerts: AlertIntakeOptions;
  matcher: AlertMatcher;
  silencer: AlertSilencer;
  writer: AlertWriter;
  metrics: IntakeMetrics;
  logger: Logger;
  clock: Clock;
  /** Decoding and matching each wait for an event-loop turn of their own here. */
  turns: EventLoopTurns;
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
 * The handler of every JetStream delivery: decode and validate (`decodeNatsMessage`), normalise,
 * redact and bound (`alertFromEvent`), match Playbooks, leave out the target Incidents that an
 * AlertSuppression silences, then record the alert on each remaining target Incident and
 * acknowledge only once every write is durable. An alert whose every Incident is silenced is
 * counted for its suppressions and acknowledged, never dead-lettered, and uses no creation
 * budget. An alert whose new Incident the creation
 * budget refused is folded into a flood Incident instead (see {@link recordOverBudget}), over
 * HTTP and NATS alike: the receiver has answered 202 by then. Invalid input is dead-lettered with its reason;
 * an alert no Playbook matches below the configured severity is counted and acknowledged; an
 * Incident the API server refuses as invalid is dead-lettered as `invalid-incident`; any other
 * failure (conflicts beyond the writer's retries, throttling, server errors, network) is retried.
 * Decoding (JSON parse and validation), protection (normalisation, redaction, bounding), preparing
 * the event for CEL and evaluating each Playbook (long synchronous work for a large alert or heavy
 * CEL) each run in an event-loop turn of their own, so a burst of deliveries never keeps the loop
 * from other work.
 */
export function createDeliveryHandler(options: IntakePipelineOptions): DeliveryHandler {
  const { metrics, logger } = options;
  return async (delivery: Delivery): Promise<Disposition> => {
    const decoded = await alertOf(delivery, options);
    if (!decoded.ok) {
      metrics.rejected.inc({ reason: decoded.reason });
      return { action: "dead-letter", reason: decoded.reason, field: decoded.field, message: decoded.message };
    }
    const alert = decoded.value;
    metrics.received.inc({ transport: transportOf(delivery.subject), kind: alert.kind });
    const { requests, silencing } = await planWrites(alert, options);
    if (requests.length === 0) {
      if (silencing.by.length > 0) {
        options.silencer.record(alert, silencing);
        logger.debug({ type: alert.type, suppressions: silencing.by }, "alert silenced");
        return { action: "ack" };
      }
      metrics.unmatchedDropped.inc();
      logger.debug({ type: alert.type, severity: alert.severity }, "unmatched alert dropped");
      return { action: "ack" };
    }
    delivery.releaseSlot();
    try {
      const outcomes = await Promise.all(requests.map((request) => options.writer.submit(request)));
      await recordOverBudget(alert.source, requests, outcomes, options);
      // Counted once the alert's other Incidents are written: a retried alert is not counted twice.
      options.silencer.record(alert, silencing);
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

/**
 * Decodes a delivery in one event-loop turn, then normalises, redacts and bounds it in another.
 * The decoded event (the whole of a large alert's data) lives only in this function's frame:
 * held in the handler's, it would stay alive until the alert's Incident is written.
 */
async function alertOf(delivery: Delivery, options: Pick<IntakePipelineOptions, "alerts" | "turns">): Promise<Result<Alert>> {
  await options.turns.next();
  const event = decodeNatsMessage({ subject: delivery.subject, headers: delivery.headers, data: delivery.data }, options.alerts.limits);
  if (!event.ok) return event;
  await options.turns.next();
  return alertFromEvent(event.value, delivery.storedAt, options.alerts);
}

/**
 * Records an alert the creation budget refused a new Incident for (any of its targets): once,
 * on its source's flood Incident, or on the flood Incident of all sources when the budget
 * refuses that one too, and counts it by the limit that refused (once: not on a redelivery the
 * flood Incident already counted). Nothing is lost: the alert is
 * counted in a flood Incident, which a redelivery finds again.
 */
export async function recordOverBudget(source: string, requests: readonly WriteRequest[], outcomes: readonly WriteOutcome[], options: Pick<IntakePipelineOptions, "intake" | "writer" | "metrics">): Promise<void> {
  const index = outcomes.findIndex((outcome) => outcome.result === "over-budget");
  const refused = outcomes[index];
  const request = requests[index];
  if (refused?.result !== "over-budget" || request === undefined) return;
  let flood = await options.writer.submit(floodRequest(request, source, "source", options.intake));
  if (flood.result === "over-budget") flood = await options.writer.submit(floodRequest(request, source, "all", options.intake));
  // A redelivery of an alert already counted in a flood Incident is not counted again.
  if (flood.result !== "duplicate") options.metrics.overBudget.inc({ limit: refused.limit });
}

/** The writes one alert needs, and which of its Incidents suppressions silenced instead. */
export interface PlannedWrites {
  /** One per target Incident that is not silenced. */
  readonly requests: WriteRequest[];
  readonly silencing: Silencing;
}

/**
 * The writes one alert needs: one per target Incident, less those the suppressions silence
 * (see {@link AlertSilencer}). Matching waits for an event-loop turn, then for another at every
 * pause of the matcher (after preparing the event for CEL, between Playbooks); silencing, which
 * only runs for an alert that has target Incidents, pauses between suppressions alike. The event
 * is converted for CEL once for both.
 */
export async function planWrites(alert: Alert, options: Pick<IntakePipelineOptions, "intake" | "matcher" | "silencer" | "clock" | "turns">): Promise<PlannedWrites> {
  await options.turns.next();
  const event = toCelEvent(alert);
  const variables = new EventVariables(event);
  const matches = await inTurns(options.matcher.matchSteps({ type: alert.type, source: alert.source, severity: alert.severity, namespace: alert.resources.namespace, event, variables }), options);
  const targets = incidentTargets({ severity: alert.severity, fingerprint: alert.fingerprint, namePrefix: incidentNamePrefix(alert) }, matches, options.intake);
  if (targets.length === 0) return { requests: [], silencing: NOTHING_SILENCED };
  const silenceInput: SilenceInput = { type: alert.type, rule: alertRule(alert), namespace: alert.resources.namespace, variables, incidentNamespaces: targets.map((target) => target.namespace) };
  const silencing = await inTurns(options.silencer.silenceSteps(silenceInput), options);
  const kept = targets.filter((target) => !silencing.silences(target.namespace));
  if (kept.length === 0) return { requests: [], silencing };
  const spec = incidentSpecFromAlert(alert);
  const fold = {
    hash: eventHash(alert.source, alert.id),
    alertStatus: alert.status,
    // When kube-soar saw it: producer clocks (and replays) must not decide the dedup window.
    time: options.clock.now().toISOString(),
    observables: incidentObservables(alert),
  };
  const requests = kept.map((target) => ({ target, spec, fold, creation: { source: alert.source, unmatched: target.playbooks.length === 0, flood: false } }));
  return { requests, silencing };
}

/** Runs a stepped computation to its end, waiting for an event-loop turn at each of its pauses. */
async function inTurns<T>(steps: Generator<void, T, void>, options: Pick<IntakePipelineOptions, "turns">): Promise<T> {
  let step = steps.next();
  while (step.done !== true) {
    await options.turns.next();
    step = steps.next();
  }
  return step.value;
}
