import type { LevelWithSilent } from "pino";
import type { LabelSelector } from "../api/label-selector.ts";
import type { Severity } from "../api/v1alpha1/types.generated.ts";
import type { Cidr } from "../policy/destination-policy.ts";
import type { StreamLimits } from "../runtime/jetstream-streams.ts";
import type { NatsConnectionSettings } from "../runtime/nats-connection.ts";

/** NATS: the connection, and the streams and consumer intake's alerts travel through. */
export interface NatsOptions extends NatsConnectionSettings {
  /** JetStream stream that holds incoming alerts. */
  stream: string;
  subjects: string[];
  /** `create` creates or updates the stream; `verify` only checks that it covers the subjects. */
  streamMode: "create" | "verify";
  duplicateWindowMs: number;
  /** Limits of `stream`, applied when it is created or updated (stream mode `create`). */
  streamLimits: StreamLimits;
  durable: string;
  maxDeliver: number;
  ackWaitMs: number;
  /** Redelivery delays after a `nak`, in order; the last one repeats. */
  backoffMs: number[];
  /** How many alerts one replica decodes and matches at once, and its Incident writes in flight. */
  concurrency: number;
  /** Alerts and message bytes one replica holds from pull until settled; also the consumer's max_ack_pending (count). */
  maxInflight: { count: number; bytes: number };
  deadLetterPrefix: string;
  /** JetStream stream that keeps dead letters (`<deadLetterPrefix>.>`), created or verified like `stream`. */
  deadLetterStream: string;
  /** How long the dead-letter stream keeps an entry. */
  deadLetterMaxAgeMs: number;
  /** Limits of `deadLetterStream`, applied like {@link NatsOptions.streamLimits}. */
  deadLetterLimits: StreamLimits;
}

/** The Incident lifecycle CloudEvents the leader's Incident controller publishes on NATS (docs/events-out.md). */
export interface IncidentEventsOptions {
  /** Subject prefix of the events; empty publishes none. */
  prefix: string;
  /** JetStream stream capturing `<prefix>.>`, created or verified as `nats.streamMode` says; empty for none (core NATS). */
  stream: string;
  /** How long the stream keeps an event. */
  maxAgeMs: number;
  /** Limits of `stream`, applied when it is created or updated. */
  limits: StreamLimits;
}

/** The HTTP receiver for Alertmanager, Falcosidekick and CloudEvents producers. */
export interface ReceiverOptions {
  enabled: boolean;
  host: string;
  port: number;
  /**
   * A file with one accepted token per line, presented as a bearer token or as the password of
   * Basic credentials (any user name). Required unless `allowUnauthenticated`.
   */
  tokenFile?: string;
  /** Serve without a token file (an explicit choice, warned about while it lasts). */
  allowUnauthenticated: boolean;
  tls?: { certFile: string; keyFile: string };
  maxBodyBytes: number;
  maxJsonDepth: number;
  /** POSTs and body bytes handled at once; beyond, the receiver answers 503. */
  maxInflight: { count: number; bytes: number };
}

/** The limits on opening new Incidents, per replica; enforced by `CreationBudget` (`ingest/write/creation-budget.ts`). */
export interface CreationLimits {
  /** All new Incidents of this replica. */
  readonly global: { readonly burst: number; readonly perMinute: number };
  /** New Incidents of one alert source (the CloudEvent `source`). */
  readonly perSource: { readonly burst: number; readonly perMinute: number };
  /** Sources whose buckets are remembered (least recently used forgotten first). */
  readonly maxSources: number;
  /** Incidents opened for unmatched alerts within the last dedup window (after which one without a newer event takes no more). */
  readonly unmatchedMaxOpen: number;
}

/** The metrics listener: its own address, how scrapes are authenticated, and TLS. */
export interface MetricsOptions {
  host: string;
  port: number;
  /** `kubernetes`: bearer tokens checked by TokenReview and SubjectAccessReview; `none`: no check (logged). */
  auth: "kubernetes" | "none";
  tls?: { certFile: string; keyFile: string };
}

/** What intake does with an alert once it is decoded. */
export interface IntakeOptions {
  /** Unmatched alerts at or above this severity open an Incident in `defaultNamespace`. */
  unmatchedMinSeverity: Severity | "none";
  defaultNamespace: string;
  maxEventBytes: number;
  /** Extra JSON field paths and key patterns to redact, on top of the built-in ones. */
  redactPaths: string[];
  redactKeyPatterns: string[];
  dedupWindowMs: number;
  /** Duplicates of one Incident are folded into at most one write per this interval. */
  foldIntervalMs: number;
  creation: CreationLimits;
}

/** Leader election for the controllers (intake runs in every replica). */
export interface LeaderElectionOptions {
  enabled: boolean;
  leaseName: string;
  leaseNamespace: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** The flags of the Connector destination policy (`policy/destination-policy.ts` says how they combine). */
export interface ConnectorDestinationOptions {
  /** Exceptions to the default refusals. */
  allowed: Cidr[];
  /** Refused for every Connector, over `allowed`. */
  denied: Cidr[];
}

/** Every option of the operator process, parsed once in main. */
export interface OperatorOptions {
  kubeconfig?: string;
  /** The operator's own namespace: its Playbooks may act across namespaces. */
  namespace: string;
  /**
   * Namespaces no action may touch, on top of the ones always protected (the cluster's own and
   * `namespace`; `protectedNamespaces()` of the policy module gives the whole set).
   */
  protectedNamespaces: string[];
  /** Nodes no action may change; undefined when none is protected. */
  protectedNodes: LabelSelector | undefined;
  logLevel: LevelWithSilent;
  probeHost: string;
  probePort: number;
  metrics: MetricsOptions;
  nats: NatsOptions;
  incidentEvents: IncidentEventsOptions;
  receiver: ReceiverOptions;
  intake: IntakeOptions;
  leaderElection: LeaderElectionOptions;
  /** Plan and render every step, touch nothing (also settable per Playbook). */
  dryRun: boolean;
  /** Stop starting new steps everywhere; running ones finish. */
  paused: boolean;
  /**
   * Re-check at run time what the tenancy admission policies vouch for (a tenant's Job and action steps,
   * Connector Secrets and approvals); off trusts every writer of Playbooks, Connectors and Incidents.
   */
  verifyTenancy: boolean;
  /** The share (percent) of every Playbook's `maxActiveIncidents` that only critical Incidents may use. */
  criticalReservePercent: number;
  /** Longest time from an AlertSuppression's creation to its `expiresAt`; a longer one silences nothing. */
  suppressionMaxDurationMs: number;
  /** Reconciles each controller runs at the same time. */
  maxConcurrentReconciles: number;
  /** Which addresses Connectors may reach, besides the default. */
  connectorDestinations: ConnectorDestinationOptions;
  /** Playbooks, Incidents and Connectors (and what is watched for them) are watched in these namespaces only; empty means all. */
  watchNamespaces: string[];
}
