import { hostname } from "node:os";
import { parseCidr, type Cidr } from "../policy/destination-policy.ts";
import { parseArgs } from "node:util";
import { parseLabelSelector, type LabelSelector } from "../api/label-selector.ts";
import { ConfigError, FlagReader } from "./flag-reader.ts";
import { settings, type Flag } from "./flags.ts";
import type { StreamLimits } from "../runtime/jetstream-streams.ts";
import { isLiteralSubject, subjectsOverlap } from "../runtime/nats-subjects.ts";
import type { IncidentEventsOptions, OperatorOptions, ReceiverOptions } from "./options.ts";
import { receiverAuthenticationProblem } from "./receiver-authentication.ts";
import { MAX_SUPPRESSION_HOURS } from "../api/v1alpha1/schema/alert-suppression.ts";

function streamLimits(read: FlagReader, maxBytes: Flag, maxMsgs: Flag, discard: Flag): StreamLimits {
  return {
    maxBytes: read.int(maxBytes, 0, Number.MAX_SAFE_INTEGER),
    maxMsgs: read.int(maxMsgs, 0, Number.MAX_SAFE_INTEGER),
    discard: read.string(discard) as StreamLimits["discard"],
  };
}

/**
 * Reads the operator's options from command-line flags, then `KUBE_SOAR_*` variables, then
 * defaults. Throws ConfigError naming the flag and the reason for the first unusable value.
 */
export function parseOperatorOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): OperatorOptions {
  const specs = Object.fromEntries(
    (Object.keys(settings) as Flag[]).map((flag) => [flag, { type: "string" as const }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: specs, strict: true, allowPositionals: false }));
  } catch (error: unknown) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const flags = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : undefined]));
  const read = new FlagReader(flags, env);

  const namespace = read.string("namespace");
  const probe = read.hostPort("probe-bind");
  const receiver = read.hostPort("receiver-bind");
  const metrics = read.hostPort("metrics-bind");
  if (metrics.port !== 0 && metrics.port === probe.port) {
    throw new ConfigError(`--metrics-bind: port ${String(metrics.port)} is the port of --probe-bind; metrics and probes need listeners of their own`);
  }
  const metricsCert = read.optional("metrics-tls-cert-file");
  const metricsKey = read.optional("metrics-tls-key-file");
  if ((metricsCert === undefined) !== (metricsKey === undefined)) {
    throw new ConfigError("--metrics-tls-cert-file and --metrics-tls-key-file must be set together");
  }
  const tlsCa = read.optional("nats-tls-ca-file");
  const tlsCert = read.optional("nats-tls-cert-file");
  const tlsKey = read.optional("nats-tls-key-file");
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError("--nats-tls-cert-file and --nats-tls-key-file must be set together");
  }
  const receiverCert = read.optional("receiver-tls-cert-file");
  const receiverKey = read.optional("receiver-tls-key-file");
  if ((receiverCert === undefined) !== (receiverKey === undefined)) {
    throw new ConfigError("--receiver-tls-cert-file and --receiver-tls-key-file must be set together");
  }
  const renewDeadlineMs = read.duration("renew-deadline");
  const leaseDurationMs = read.duration("lease-duration");
  if (renewDeadlineMs >= leaseDurationMs) {
    throw new ConfigError("--renew-deadline must be shorter than --lease-duration");
  }
  const backoffMs = read.durations("nats-backoff");
  const maxDeliver = read.int("nats-max-deliver", 1, 10_000);
  if (backoffMs.length > maxDeliver) {
    throw new ConfigError("--nats-backoff may list at most --nats-max-deliver delays");
  }

  const receiverOptions: ReceiverOptions = {
    enabled: read.bool("receiver-enabled"),
    host: receiver.host,
    port: receiver.port,
    ...optionalField("tokenFile", read.optional("receiver-token-file")),
    allowUnauthenticated: read.bool("receiver-allow-unauthenticated"),
    ...(receiverCert === undefined || receiverKey === undefined ? {} : { tls: { certFile: receiverCert, keyFile: receiverKey } }),
    maxBodyBytes: read.int("receiver-max-body-bytes", 1024, 64 * 1024 * 1024),
    maxJsonDepth: read.int("receiver-max-json-depth", 2, 1000),
    maxInflight: {
      count: read.int("receiver-max-inflight-requests", 1, 65_536),
      bytes: read.int("receiver-max-inflight-bytes", 1024, 2 ** 40),
    },
  };
  if (receiverOptions.maxInflight.bytes < receiverOptions.maxBodyBytes) {
    throw new ConfigError("--receiver-max-inflight-bytes must be at least --receiver-max-body-bytes, or the largest accepted body could never be taken");
  }
  const unauthenticated = receiverOptions.enabled ? receiverAuthenticationProblem(receiverOptions) : undefined;
  if (unauthenticated !== undefined) throw new ConfigError(unauthenticated);

  return {
    ...optionalField("kubeconfig", read.optional("kubeconfig")),
    namespace,
    protectedNamespaces: read.list("protected-namespaces"),
    protectedNodes: protectedNodeSelector(read),
    watchNamespaces: read.list("watch-namespaces"),
    logLevel: read.string("log-level") as OperatorOptions["logLevel"],
    probeHost: probe.host,
    probePort: probe.port,
    metrics: {
      host: metrics.host,
      port: metrics.port,
      auth: read.string("metrics-auth") as OperatorOptions["metrics"]["auth"],
      ...(metricsCert === undefined || metricsKey === undefined ? {} : { tls: { certFile: metricsCert, keyFile: metricsKey } }),
    },
    nats: {
      servers: read.list("nats-servers"),
      ...optionalField("credsFile", read.optional("nats-creds-file")),
      ...optionalField("nkeySeedFile", read.optional("nats-nkey-seed-file")),
      ...optionalField("tokenFile", read.optional("nats-token-file")),
      ...optionalField("user", read.optional("nats-user")),
      ...optionalField("passwordFile", read.optional("nats-password-file")),
      ...(tlsCa === undefined && tlsCert === undefined
        ? {}
        : { tls: { ...optionalField("caFile", tlsCa), ...optionalField("certFile", tlsCert), ...optionalField("keyFile", tlsKey) } }),
      stream: read.string("nats-stream"),
      subjects: read.list("nats-subjects"),
      streamMode: read.string("nats-stream-mode") as "create" | "verify",
      duplicateWindowMs: read.duration("nats-duplicate-window"),
      streamLimits: streamLimits(read, "nats-stream-max-bytes", "nats-stream-max-msgs", "nats-stream-discard"),
      durable: read.string("nats-durable"),
      maxDeliver,
      ackWaitMs: read.duration("nats-ack-wait"),
      backoffMs,
      concurrency: read.int("nats-concurrency", 1, 4096),
      maxInflight: { count: read.int("nats-max-inflight-alerts", 1, 1_000_000), bytes: read.int("nats-max-inflight-bytes", 64 * 1024, 2 ** 40) },
      deadLetterPrefix: read.string("nats-dead-letter-prefix"),
      deadLetterStream: read.string("nats-dead-letter-stream"),
      deadLetterMaxAgeMs: read.duration("nats-dead-letter-max-age"),
      deadLetterLimits: streamLimits(read, "nats-dead-letter-max-bytes", "nats-dead-letter-max-msgs", "nats-dead-letter-discard"),
    },
    incidentEvents: incidentEventsOptions(read),
    receiver: receiverOptions,
    intake: {
      unmatchedMinSeverity: read.string("unmatched-min-severity") as OperatorOptions["intake"]["unmatchedMinSeverity"],
      defaultNamespace: read.string("default-namespace"),
      maxEventBytes: read.int("max-event-bytes", 1024, 1024 * 1024),
      redactPaths: read.list("redact-paths"),
      redactKeyPatterns: validPatterns(read.list("redact-key-patterns")),
      dedupWindowMs: read.duration("dedup-window"),
      foldIntervalMs: read.duration("fold-interval"),
      creation: {
        global: { burst: read.int("incident-create-burst", 1, 1_000_000), perMinute: read.int("incident-create-rate", 0, 1_000_000) },
        perSource: { burst: read.int("incident-create-burst-per-source", 1, 1_000_000), perMinute: read.int("incident-create-rate-per-source", 0, 1_000_000) },
        maxSources: read.int("incident-create-sources", 1, 1_000_000),
        unmatchedMaxOpen: read.int("unmatched-max-open", 0, 1_000_000),
      },
    },
    leaderElection: {
      enabled: read.bool("leader-elect"),
      leaseName: read.string("leader-election-lease"),
      leaseNamespace: read.optional("leader-election-namespace") ?? namespace,
      identity: read.optional("leader-election-identity") ?? `${hostname()}_${process.pid}`,
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs: read.duration("retry-period"),
    },
    dryRun: read.bool("dry-run"),
    paused: read.bool("paused"),
    verifyTenancy: read.bool("verify-tenancy"),
    criticalReservePercent: read.int("critical-reserve-percent", 0, 100),
    suppressionMaxDurationMs: suppressionMaxDuration(read),
    maxConcurrentReconciles: read.int("max-concurrent-reconciles", 1, 256),
    connectorDestinations: { allowed: cidrs(read, "connector-allowed-destinations"), denied: cidrs(read, "connector-denied-destinations") },
  };
}

/**
 * The lifecycle events' settings. The prefix must be a subject without wildcards, and its
 * subjects must not overlap the alert stream's or the dead letters': the alert stream would
 * take lifecycle events in as alerts, and two streams cannot capture one subject.
 */
function incidentEventsOptions(read: FlagReader): IncidentEventsOptions {
  const prefix = read.optional("nats-incident-events-prefix") ?? "";
  if (prefix !== "") {
    if (!isLiteralSubject(prefix)) {
      throw new ConfigError(`--nats-incident-events-prefix: ${JSON.stringify(prefix)} is not a NATS subject prefix (tokens separated by ., none empty, without spaces, * or >)`);
    }
    const taken = [...read.list("nats-subjects"), `${read.string("nats-dead-letter-prefix")}.>`].filter((subject) => subjectsOverlap(subject, `${prefix}.>`));
    if (taken.length > 0) {
      throw new ConfigError(`--nats-incident-events-prefix: ${prefix}.> overlaps ${taken.join(", ")} of --nats-subjects or --nats-dead-letter-prefix; lifecycle events need subjects of their own`);
    }
  }
  return {
    prefix,
    stream: read.optional("nats-incident-events-stream") ?? "",
    maxAgeMs: read.duration("nats-incident-events-max-age"),
    limits: streamLimits(read, "nats-incident-events-max-bytes", "nats-incident-events-max-msgs", "nats-incident-events-discard"),
  };
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function suppressionMaxDuration(read: FlagReader): number {
  const durationMs = read.duration("suppression-max-duration");
  if (durationMs <= 0 || durationMs > MAX_SUPPRESSION_HOURS * 3_600_000) {
    throw new ConfigError(`--suppression-max-duration: must be longer than 0 and at most ${String(MAX_SUPPRESSION_HOURS)}h, the bound of the admission policy`);
  }
  return durationMs;
}

function cidrs(read: FlagReader, flag: Flag): Cidr[] {
  return read.list(flag).map((text) => {
    const cidr = parseCidr(text);
    if (typeof cidr === "string") throw new ConfigError(`--${flag}: ${cidr}`);
    return cidr;
  });
}

function protectedNodeSelector(read: FlagReader): LabelSelector | undefined {
  const text = read.optional("protected-node-selector");
  if (text === undefined || text.trim() === "") return undefined;
  const parsed = parseLabelSelector(text);
  if (!parsed.ok) throw new ConfigError(`--protected-node-selector: ${JSON.stringify(text)} is not a label selector: ${parsed.message}`);
  return parsed.selector;
}

function validPatterns(patterns: string[]): string[] {
  for (const pattern of patterns) {
    try {
      new RegExp(pattern, "i");
    } catch {
      throw new ConfigError(`--redact-key-patterns: ${JSON.stringify(pattern)} is not a valid regular expression`);
    }
  }
  return patterns;
}
