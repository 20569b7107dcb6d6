import { SEVERITIES } from "../api/v1alpha1/constants.ts";
import { MAX_SUPPRESSION_HOURS } from "../api/v1alpha1/schema/alert-suppression.ts";
import { BUILTIN_PROTECTED_NAMESPACES } from "../policy/protected-namespace-guard.ts";
import { UNAUTHENTICATED_WARNING_INTERVAL_MS } from "../observability/unauthenticated-warning.ts";
import { METRICS_ACCESS_LIMITS } from "../runtime/cached-token-access.ts";

type Kind = "string" | "list" | "int" | "duration" | "durations" | "bool";

/** How one flag is read and described. */
export interface Setting {
  kind: Kind;
  default?: string;
  description: string;
  choices?: readonly string[];
}

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * Every flag of the operator. Each can also be set by the environment variable
 * `KUBE_SOAR_<FLAG>` (upper-case, dashes as underscores); a flag wins over the variable.
 */
export const settings = {
  kubeconfig: { kind: "string", description: "kubeconfig file; in-cluster configuration when empty" },
  namespace: { kind: "string", default: "soar-system", description: "the operator's own namespace; its Playbooks may act cluster-wide" },
  "protected-namespaces": {
    kind: "list",
    default: "",
    description: `extra namespaces no action may touch; ${BUILTIN_PROTECTED_NAMESPACES.join(", ")} and --namespace are always protected`,
  },
  "protected-node-selector": {
    kind: "string",
    default: "node-role.kubernetes.io/control-plane",
    description:
      "label selector of Nodes no action may change (cordonNode, uncordonNode, label, annotate), e.g. key, !key, key=value, key!=value, key in (a,b), key notin (a,b), comma-separated; the default protects control-plane nodes; an empty value (--protected-node-selector=) protects none",
  },
  "watch-namespaces": { kind: "list", default: "", description: "restrict Playbooks, Incidents and Connectors to these namespaces; empty watches all" },
  "log-level": { kind: "string", default: "info", choices: logLevels, description: "log level" },
  "probe-bind": {
    kind: "string",
    default: "0.0.0.0:8081",
    description: "host:port serving the kubelet's probes /healthz, /livez and /readyz, without authentication (they answer only ok or not ready); metrics have --metrics-bind",
  },
  "metrics-bind": { kind: "string", default: "0.0.0.0:8443", description: "host:port serving /metrics on a listener of its own; its port must differ from the port of --probe-bind" },
  "metrics-auth": {
    kind: "string",
    default: "kubernetes",
    choices: ["kubernetes", "none"],
    description: `kubernetes: a scrape needs Authorization: Bearer <token>, checked with a TokenReview and a SubjectAccessReview (get on the non-resource URL /metrics, as the ClusterRole kube-soar-metrics-reader grants), answers reused up to ${String(METRICS_ACCESS_LIMITS.allowTtlMs / 1000)} s (denials ${String(METRICS_ACCESS_LIMITS.denyTtlMs / 1000)} s); 401 without a valid token, 403 without the permission, 503 when the API server cannot answer. none: anyone who reaches --metrics-bind reads the metrics; logged at start, and on an address other than loopback warned about every ${String(UNAUTHENTICATED_WARNING_INTERVAL_MS / 60_000)} minutes`,
  },
  "metrics-tls-cert-file": { kind: "string", description: "TLS certificate of the metrics listener, which then serves HTTPS (read at start); without it, plain HTTP, and bearer tokens travel unencrypted (logged at start)" },
  "metrics-tls-key-file": { kind: "string", description: "TLS key of the metrics listener; set together with --metrics-tls-cert-file" },
  "nats-servers": { kind: "list", default: "nats://127.0.0.1:4222", description: "NATS server URLs" },
  "nats-creds-file": { kind: "string", description: "NATS credentials (JWT + nkey) file" },
  "nats-nkey-seed-file": { kind: "string", description: "NATS nkey seed file" },
  "nats-token-file": { kind: "string", description: "file holding a NATS token" },
  "nats-user": { kind: "string", description: "NATS user name" },
  "nats-password-file": { kind: "string", description: "file holding the NATS password" },
  "nats-tls-ca-file": { kind: "string", description: "CA bundle for the NATS server certificate" },
  "nats-tls-cert-file": { kind: "string", description: "client certificate for NATS mutual TLS" },
  "nats-tls-key-file": { kind: "string", description: "client key for NATS mutual TLS" },
  "nats-stream": { kind: "string", default: "SOAR_EVENTS", description: "JetStream stream holding incoming alerts" },
  "nats-subjects": { kind: "list", default: "soar.events.>,falco.>", description: "subjects the stream covers" },
  "nats-stream-mode": { kind: "string", default: "create", choices: ["create", "verify"], description: "create the stream, or only verify it exists and covers the subjects" },
  "nats-stream-max-bytes": {
    kind: "int",
    default: String(1024 ** 3),
    description: "bytes the alert stream may hold, 0 for no limit; 1 GiB keeps a long intake outage (or a flood) from filling the NATS disk",
  },
  "nats-stream-max-msgs": { kind: "int", default: "1000000", description: "alerts the alert stream may hold, 0 for no limit" },
  "nats-stream-discard": {
    kind: "string",
    default: "new",
    choices: ["new", "old"],
    description: "when the alert stream is full: new refuses new alerts (producers get an error and retry: backpressure, nothing stored is lost); old drops the oldest alerts not yet handled",
  },
  "nats-duplicate-window": { kind: "duration", default: "2m", description: "JetStream duplicate window for message ids" },
  "nats-durable": { kind: "string", default: "kube-soar-intake", description: "durable pull consumer shared by all replicas" },
  "nats-max-deliver": { kind: "int", default: "20", description: "deliveries before an alert is dead-lettered" },
  "nats-ack-wait": { kind: "duration", default: "30s", description: "time to process one delivery before it is redelivered" },
  "nats-backoff": { kind: "durations", default: "1s,5s,15s,30s,60s", description: "redelivery delays after a failure, in order" },
  "nats-concurrency": { kind: "int", default: "64", description: "alerts one replica decodes and matches at once, and its Incident writes in flight" },
  "nats-max-inflight-alerts": {
    kind: "int",
    default: "4096",
    description: "alerts one replica holds from pull until settled (Incident written or alert refused), waiting writes included; it pulls only while there is room, and the shared consumer's max_ack_pending is this number",
  },
  "nats-max-inflight-bytes": {
    kind: "int",
    default: String(8 * 1024 ** 2),
    description: "bytes of alert messages one replica holds from pull until settled; at least the NATS server's max_payload",
  },
  "nats-dead-letter-prefix": { kind: "string", default: "soar.deadletter", description: "subject prefix of dead-lettered alerts; the reason follows" },
  "nats-dead-letter-stream": { kind: "string", default: "SOAR_DEADLETTER", description: "JetStream stream keeping dead-lettered alerts, created or verified as nats-stream-mode says" },
  "nats-dead-letter-max-age": { kind: "duration", default: "336h", description: "how long the dead-letter stream keeps an alert" },
  "nats-dead-letter-max-bytes": { kind: "int", default: String(256 * 1024 ** 2), description: "bytes the dead-letter stream may hold, 0 for no limit" },
  "nats-dead-letter-max-msgs": { kind: "int", default: "100000", description: "entries the dead-letter stream may hold, 0 for no limit" },
  "nats-dead-letter-discard": {
    kind: "string",
    default: "old",
    choices: ["old", "new"],
    description: "when the dead-letter stream is full: old drops the oldest entries and keeps the newest (a flood of poison never blocks dead-lettering, which would redeliver it forever); new refuses new dead letters",
  },
  "nats-incident-events-prefix": {
    kind: "string",
    default: "soar.incidents",
    description:
      "subject prefix of the Incident lifecycle CloudEvents (binary mode) the leader publishes: <prefix>.<namespace>.<incident>.incident.opened, .incident.updated, .incident.resolved, .incident.closed and .step.finished, a . in the Incident's name written _ (docs/events-out.md); each transition once, again with the same id only after a crash or leader change in between; an empty value (--nats-incident-events-prefix=) publishes none; must not overlap --nats-subjects or --nats-dead-letter-prefix",
  },
  "nats-incident-events-stream": {
    kind: "string",
    default: "",
    description:
      "JetStream stream capturing <prefix>.> of --nats-incident-events-prefix, created or verified as --nats-stream-mode says; events are then published to it and acknowledged once stored, and one published again within --nats-duplicate-window is stored once; empty: published with core NATS, received only by the subscribers connected at the time",
  },
  "nats-incident-events-max-age": { kind: "duration", default: "168h", description: "how long the incident events stream keeps an event" },
  "nats-incident-events-max-bytes": { kind: "int", default: String(256 * 1024 ** 2), description: "bytes the incident events stream may hold, 0 for no limit" },
  "nats-incident-events-max-msgs": { kind: "int", default: "1000000", description: "events the incident events stream may hold, 0 for no limit" },
  "nats-incident-events-discard": {
    kind: "string",
    default: "old",
    choices: ["old", "new"],
    description:
      "when the incident events stream is full: old drops the oldest events; new refuses new ones, which stay pending in their Incidents (status.published) and are retried with backoff until the stream has room",
  },
  "receiver-enabled": { kind: "bool", default: "true", description: "serve the HTTP alert receiver" },
  "receiver-bind": { kind: "string", default: "0.0.0.0:8080", description: "host:port of the HTTP alert receiver" },
  "receiver-token-file": {
    kind: "string",
    description: "file with accepted tokens, one per line, sent as Authorization: Bearer <token> or as the password of Basic credentials (any user name); required while the receiver is enabled, unless --receiver-allow-unauthenticated",
  },
  "receiver-allow-unauthenticated": {
    kind: "bool",
    default: "false",
    description: `serve the receiver without --receiver-token-file, so that anyone who reaches it can open Incidents; a warning is logged at start and every ${String(UNAUTHENTICATED_WARNING_INTERVAL_MS / 60_000)} minutes`,
  },
  "receiver-tls-cert-file": { kind: "string", description: "TLS certificate of the receiver" },
  "receiver-tls-key-file": { kind: "string", description: "TLS key of the receiver" },
  "receiver-max-body-bytes": { kind: "int", default: "1048576", description: "largest accepted request body" },
  "receiver-max-inflight-requests": { kind: "int", default: "64", description: "POSTs the receiver handles at once; beyond, it answers 503 with Retry-After without reading the body" },
  "receiver-max-inflight-bytes": {
    kind: "int",
    default: String(8 * 1024 ** 2),
    description: "bytes of request bodies (Content-Length, or --receiver-max-body-bytes when absent) the receiver handles at once; beyond, 503 with Retry-After; at least --receiver-max-body-bytes",
  },
  "receiver-max-json-depth": { kind: "int", default: "32", description: "deepest accepted JSON nesting" },
  "unmatched-min-severity": { kind: "string", default: "high", choices: [...SEVERITIES, "none"], description: "alerts no Playbook matches open an Incident in the default namespace from this severity (within --unmatched-max-open); none drops them" },
  "incident-create-rate": { kind: "int", default: "600", description: "new Incidents one replica opens per minute, all sources together (a token bucket; folds into open Incidents are never limited); alerts over it are folded into a flood Incident" },
  "incident-create-burst": { kind: "int", default: "100", description: "new Incidents one replica may open at once above --incident-create-rate" },
  "incident-create-rate-per-source": { kind: "int", default: "120", description: "new Incidents one replica opens per minute for one alert source (the CloudEvent source); alerts over it are folded into the source's flood Incident" },
  "incident-create-burst-per-source": { kind: "int", default: "20", description: "new Incidents one replica may open at once for one source above --incident-create-rate-per-source" },
  "incident-create-sources": { kind: "int", default: "10000", description: "alert sources whose budgets one replica remembers; the least recently seen are forgotten first" },
  "unmatched-max-open": { kind: "int", default: "100", description: "Incidents for unmatched alerts one replica opens within --dedup-window; alerts over it are folded into their source's flood Incident" },
  "default-namespace": { kind: "string", default: "soar-system", description: "namespace of Incidents that no Playbook matched" },
  "max-event-bytes": { kind: "int", default: "65536", description: "largest alert payload stored in an Incident; larger ones are truncated with a marker" },
  "redact-paths": { kind: "list", default: "", description: "extra JSON field paths to redact (dot separated)" },
  "redact-key-patterns": { kind: "list", default: "", description: "extra key regular expressions whose values are redacted" },
  "dedup-window": { kind: "duration", default: "1h", description: "an alert folds into an open Incident seen within this window" },
  "fold-interval": { kind: "duration", default: "250ms", description: "duplicates of one Incident are written together at most this often" },
  "leader-elect": { kind: "bool", default: "true", description: "elect a leader for the controllers" },
  "leader-election-lease": { kind: "string", default: "kube-soar-controllers", description: "Lease name" },
  "leader-election-namespace": { kind: "string", description: "Lease namespace; defaults to --namespace" },
  "leader-election-identity": { kind: "string", description: "this replica's identity; defaults to the host name and pid" },
  "lease-duration": { kind: "duration", default: "15s", description: "leader lease duration" },
  "renew-deadline": { kind: "duration", default: "10s", description: "leader renew deadline" },
  "retry-period": { kind: "duration", default: "2s", description: "leader election retry period" },
  "dry-run": { kind: "bool", default: "false", description: "plan and render every step, create and call nothing" },
  "critical-reserve-percent": {
    kind: "int",
    default: "20",
    description: "share of every Playbook's maxActiveIncidents (percent, rounded down) that only critical Incidents may use, so that alerts below critical cannot exhaust the cap",
  },
  paused: { kind: "bool", default: "false", description: "start no new steps anywhere" },
  "verify-tenancy": {
    kind: "bool",
    default: "true",
    description:
      "outside --namespace, run Job and action steps, use Connector Secrets and honour approvals only when the config/admission policy bindings checked their writer; false trusts whoever may write Playbooks, Connectors and Incidents with every Job, action, Secret, ServiceAccount and approval they name",
  },
  "connector-allowed-destinations": {
    kind: "list",
    default: "",
    description:
      "IP addresses or CIDR blocks Connectors and ThreatFeed URLs may reach although the default refuses them (link-local, multicast, reserved, cloud metadata, and private ranges for those outside --namespace); the API server's addresses and the operator's own (its Pod's, loopback, unspecified) are opened only to Connectors and ThreatFeeds in --namespace, never to the others",
  },
  "connector-denied-destinations": {
    kind: "list",
    default: "",
    description: "IP addresses or CIDR blocks no Connector or ThreatFeed URL may reach, on top of the default refusals; they win over --connector-allowed-destinations",
  },
  "suppression-max-duration": {
    kind: "duration",
    default: `${String(MAX_SUPPRESSION_HOURS)}h`,
    description: `longest an AlertSuppression may last, from its creation to its spec.expiresAt, at most ${String(MAX_SUPPRESSION_HOURS)}h (the bound the config/admission policy enforces when the suppression is written); a suppression that lasts longer silences nothing and is Ready False with reason ExpiryTooFar`,
  },
  "max-concurrent-reconciles": { kind: "int", default: "8", description: "reconciles each controller (Playbook, Incident, Connector) runs in parallel" },
} as const satisfies Record<string, Setting>;

/** The name of an operator flag. */
export type Flag = keyof typeof settings;

/** The environment variable that sets a flag. */
export function envNameOf(flag: string): string {
  return `KUBE_SOAR_${flag.toUpperCase().replaceAll("-", "_")}`;
}

/** A usage text listing every flag, its variable, default and meaning. */
export function usage(): string {
  const lines = ["Usage: kube-soar [flags]", ""];
  for (const [flag, setting] of Object.entries(settings) as [Flag, Setting][]) {
    const fallback = setting.default === undefined || setting.default === "" ? "" : ` (default ${setting.default})`;
    lines.push(`  --${flag}  [${envNameOf(flag)}]${fallback}`, `      ${setting.description}`);
  }
  return lines.join("\n");
}
