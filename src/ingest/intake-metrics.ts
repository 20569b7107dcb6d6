import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { counterOn, gaugeOn, histogramOn } from "../runtime/metric-registration.ts";

/** The transports an alert can arrive on. */
export type IntakeTransport = "nats" | "http";

/** Intake's metrics, all on the one registry passed in; every label value is from a closed set. */
export interface IntakeMetrics {
  /** Alerts decoded, by transport and source kind (falco, alertmanager, cloudevent). */
  received: Counter<"transport" | "kind">;
  /** Inputs refused, by reason code. */
  rejected: Counter<"reason">;
  /** Incidents opened, by severity. */
  incidentsCreated: Counter<"severity">;
  /** Alerts counted into an Incident that already existed. */
  duplicatesFolded: Counter;
  /** Deliveries published to the dead-letter subject, by reason code. */
  deadLettered: Counter<"reason">;
  /** Seconds from receipt of a delivery to the durable write (or the decision it was a duplicate). */
  latency: Histogram;
  /** Alerts folded into a flood Incident because the creation budget refused the Incident they needed, by the limit that refused. */
  overBudget: Counter<"limit">;
  /** Alerts no Playbook matched and below the severity that opens an Incident anyway. */
  unmatchedDropped: Counter;
  /** Bytes stored in intake's JetStream streams, by stream name (the alert and dead-letter streams). */
  streamBytes: Gauge<"stream">;
  /** Messages stored in intake's JetStream streams, by stream name. */
  streamMessages: Gauge<"stream">;
  /** The byte limit of each of intake's streams, -1 when it has none. */
  streamMaxBytes: Gauge<"stream">;
  /** The message limit of each of intake's streams, -1 when it has none. */
  streamMaxMessages: Gauge<"stream">;
  /** Alerts (NATS) or requests (HTTP) held in intake's in-flight budget, by transport; read at scrape. */
  inflight: Gauge<"transport">;
  /** Bytes held in intake's in-flight budget, by transport; read at scrape. */
  inflightBytes: Gauge<"transport">;
  /** POSTs the receiver answered 503 because its in-flight budget was full. */
  receiverBusy: Counter;
  /**
   * Alerts silenced, by AlertSuppression (`namespace/name`): a bounded label, since the values are
   * objects people create, not alert fields, and a deleted suppression's series is removed.
   */
  suppressed: Counter<"suppression">;
}

/** The name of {@link IntakeMetrics.inflight}, for its collect hook. */
export const INFLIGHT_METRIC = "soar_intake_inflight";

/** The name of {@link IntakeMetrics.inflightBytes}, for its collect hook. */
export const INFLIGHT_BYTES_METRIC = "soar_intake_inflight_bytes";

/** The name of {@link IntakeMetrics.suppressed}. */
export const SUPPRESSED_METRIC = "soar_alerts_suppressed_total";

/** Registers (or reuses) intake's metrics on `registry`. */
export function createIntakeMetrics(registry: Registry): IntakeMetrics {
  return {
    received: counterOn(registry, {
      name: "soar_intake_events_received_total",
      help: "Alerts received and decoded, by transport and source kind.",
      labelNames: ["transport", "kind"],
    }),
    rejected: counterOn(registry, {
      name: "soar_intake_events_rejected_total",
      help: "Inputs refused by intake, by reason.",
      labelNames: ["reason"],
    }),
    incidentsCreated: counterOn(registry, {
      name: "soar_incidents_created_total",
      help: "Incidents opened by intake, by severity.",
      labelNames: ["severity"],
    }),
    duplicatesFolded: counterOn(registry, {
      name: "soar_intake_duplicates_folded_total",
      help: "Alerts folded into an Incident that was already open.",
      labelNames: [],
    }),
    deadLettered: counterOn(registry, {
      name: "soar_intake_dead_lettered_total",
      help: "Deliveries published to the dead-letter subject, by reason.",
      labelNames: ["reason"],
    }),
    latency: histogramOn(registry, {
      name: "soar_intake_latency_seconds",
      help: "Seconds from receipt of an alert to its durable write.",
      labelNames: [],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    overBudget: counterOn(registry, {
      name: "soar_intake_over_budget_total",
      help: "Alerts that needed a new Incident the creation budget refused, folded into a flood Incident instead, by the limit that refused (unmatched, source, global).",
      labelNames: ["limit"],
    }),
    unmatchedDropped: counterOn(registry, {
      name: "soar_intake_unmatched_dropped_total",
      help: "Alerts no Playbook matched, below the severity that opens an Incident anyway, dropped.",
      labelNames: [],
    }),
    streamBytes: gaugeOn(registry, {
      name: "soar_nats_stream_bytes",
      help: "Bytes stored in intake's JetStream streams (alerts, dead letters), sampled periodically.",
      labelNames: ["stream"],
    }),
    streamMessages: gaugeOn(registry, {
      name: "soar_nats_stream_messages",
      help: "Messages stored in intake's JetStream streams (alerts, dead letters), sampled periodically.",
      labelNames: ["stream"],
    }),
    streamMaxBytes: gaugeOn(registry, {
      name: "soar_nats_stream_max_bytes",
      help: "Byte limit of intake's JetStream streams, -1 when unlimited.",
      labelNames: ["stream"],
    }),
    streamMaxMessages: gaugeOn(registry, {
      name: "soar_nats_stream_max_messages",
      help: "Message limit of intake's JetStream streams, -1 when unlimited.",
      labelNames: ["stream"],
    }),
    inflight: gaugeOn(registry, {
      name: INFLIGHT_METRIC,
      help: "Alerts pulled from NATS and not yet settled (transport nats), and POSTs being handled (transport http).",
      labelNames: ["transport"],
    }),
    inflightBytes: gaugeOn(registry, {
      name: INFLIGHT_BYTES_METRIC,
      help: "Message bytes pulled from NATS and not yet settled (transport nats), and request body bytes reserved (transport http).",
      labelNames: ["transport"],
    }),
    receiverBusy: counterOn(registry, {
      name: "soar_intake_receiver_busy_total",
      help: "POSTs answered 503 because the receiver held as many requests or body bytes as it may.",
      labelNames: [],
    }),
    suppressed: counterOn(registry, {
      name: SUPPRESSED_METRIC,
      help: "Alerts an AlertSuppression silenced (they opened and updated no Incident), by suppression as namespace/name; an alert two suppressions silence counts for each.",
      labelNames: ["suppression"],
    }),
  };
}
