import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { parseDuration } from "../api/duration.ts";
import { SEVERITIES } from "../api/v1alpha1/constants.ts";
import { BUILTIN_PROTECTED_NAMESPACES } from "../policy/protected-namespace-guard.ts";
import type { OperatorOptions } from "./options.ts";

/** A configuration value that cannot be used; the message names the flag and its variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Kind = "string" | "list" | "int" | "duration" | "durations" | "bool";

interface Setting {
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
  "watch-namespaces": { kind: "list", default: "", description: "restrict Playbooks, Incidents and Connectors to these namespaces; empty watches all" },
  "log-level": { kind: "string", default: "info", choices: logLevels, description: "log level" },
  "probe-bind": { kind: "string", default: "0.0.0.0:8081", description: "host:port serving /metrics, /healthz and /readyz" },
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
  "nats-duplicate-window": { kind: "duration", default: "2m", description: "JetStream duplicate window for message ids" },
  "nats-durable": { kind: "string", default: "kube-soar-intake", description: "durable pull consumer shared by all replicas" },
  "nats-max-deliver": { kind: "int", default: "20", description: "deliveries before an alert is dead-lettered" },
  "nats-ack-wait": { kind: "duration", default: "30s", description: "time to process one delivery before it is redelivered" },
  "nats-backoff": { kind: "durations", default: "1s,5s,15s,30s,60s", description: "redelivery delays after a failure, in order" },
  "nats-concurrency": { kind: "int", default: "64", description: "alerts one replica processes at once" },
  "nats-dead-letter-prefix": { kind: "string", default: "soar.deadletter", description: "subject prefix of dead-lettered alerts; the reason follows" },
  "nats-dead-letter-stream": { kind: "string", default: "SOAR_DEADLETTER", description: "JetStream stream keeping dead-lettered alerts, created or verified as nats-stream-mode says" },
  "nats-dead-letter-max-age": { kind: "duration", default: "336h", description: "how long the dead-letter stream keeps an alert" },
  "receiver-enabled": { kind: "bool", default: "true", description: "serve the HTTP alert receiver" },
  "receiver-bind": { kind: "string", default: "0.0.0.0:8080", description: "host:port of the HTTP alert receiver" },
  "receiver-token-file": { kind: "string", description: "file with accepted bearer tokens, one per line" },
  "receiver-tls-cert-file": { kind: "string", description: "TLS certificate of the receiver" },
  "receiver-tls-key-file": { kind: "string", description: "TLS key of the receiver" },
  "receiver-max-body-bytes": { kind: "int", default: "1048576", description: "largest accepted request body" },
  "receiver-max-json-depth": { kind: "int", default: "32", description: "deepest accepted JSON nesting" },
  "unmatched-min-severity": { kind: "string", default: "high", choices: [...SEVERITIES, "none"], description: "alerts no Playbook matches open an Incident in the default namespace from this severity; none drops them" },
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
  paused: { kind: "bool", default: "false", description: "start no new steps anywhere" },
  "max-concurrent-reconciles": { kind: "int", default: "8", description: "reconciles each controller (Playbook, Incident, Connector) runs in parallel" },
} as const satisfies Record<string, Setting>;

type Flag = keyof typeof settings;

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

class Reader {
  private readonly flags: Record<string, string | undefined>;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(flags: Record<string, string | undefined>, env: Readonly<Record<string, string | undefined>>) {
    this.flags = flags;
    this.env = env;
  }

  private raw(flag: Flag): { value: string | undefined; origin: string } {
    const fromFlag = this.flags[flag];
    if (fromFlag !== undefined) return { value: fromFlag, origin: `--${flag}` };
    const variable = envNameOf(flag);
    const fromEnv = this.env[variable];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, origin: variable };
    const setting: Setting = settings[flag];
    return { value: setting.default, origin: `--${flag}` };
  }

  optional(flag: Flag): string | undefined {
    const { value, origin } = this.raw(flag);
    const setting: Setting = settings[flag];
    if (value !== undefined && setting.choices !== undefined && !setting.choices.includes(value)) {
      throw new ConfigError(`${origin}: ${JSON.stringify(value)} is not one of ${setting.choices.join(", ")}`);
    }
    return value === "" ? undefined : value;
  }

  string(flag: Flag): string {
    const value = this.optional(flag);
    if (value === undefined) throw new ConfigError(`--${flag} (${envNameOf(flag)}) is required`);
    return value;
  }

  list(flag: Flag): string[] {
    const value = this.optional(flag) ?? "";
    return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  }

  int(flag: Flag, min: number, max: number): number {
    const { value, origin } = this.raw(flag);
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new ConfigError(`${origin}: ${JSON.stringify(value)} must be a whole number from ${min} to ${max}`);
    }
    return parsed;
  }

  duration(flag: Flag): number {
    const { value, origin } = this.raw(flag);
    const parsed = value === undefined ? undefined : parseDuration(value);
    if (parsed === undefined) throw new ConfigError(`${origin}: ${JSON.stringify(value)} is not a duration such as 500ms, 30s, 5m or 1h`);
    return parsed;
  }

  durations(flag: Flag): number[] {
    const { origin } = this.raw(flag);
    return this.list(flag).map((item) => {
      const parsed = parseDuration(item);
      if (parsed === undefined) throw new ConfigError(`${origin}: ${JSON.stringify(item)} is not a duration such as 500ms, 30s, 5m or 1h`);
      return parsed;
    });
  }

  bool(flag: Flag): boolean {
    const { value, origin } = this.raw(flag);
    if (value === "true") return true;
    if (value === "false") return false;
    throw new ConfigError(`${origin}: ${JSON.stringify(value)} must be true or false`);
  }

  hostPort(flag: Flag): { host: string; port: number } {
    const { origin } = this.raw(flag);
    const value = this.string(flag);
    const match = /^(.*):(\d{1,5})$/.exec(value);
    const port = Number(match?.[2]);
    if (match === null || port > 65_535) throw new ConfigError(`${origin}: ${JSON.stringify(value)} must be host:port`);
    return { host: (match[1] ?? "").replace(/^\[(.*)\]$/, "$1") || "0.0.0.0", port };
  }
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
  const read = new Reader(flags, env);

  const namespace = read.string("namespace");
  const probe = read.hostPort("probe-bind");
  const receiver = read.hostPort("receiver-bind");
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

  return {
    ...optionalField("kubeconfig", read.optional("kubeconfig")),
    namespace,
    protectedNamespaces: read.list("protected-namespaces"),
    watchNamespaces: read.list("watch-namespaces"),
    logLevel: read.string("log-level") as OperatorOptions["logLevel"],
    probeHost: probe.host,
    probePort: probe.port,
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
      durable: read.string("nats-durable"),
      maxDeliver,
      ackWaitMs: read.duration("nats-ack-wait"),
      backoffMs,
      concurrency: read.int("nats-concurrency", 1, 4096),
      deadLetterPrefix: read.string("nats-dead-letter-prefix"),
      deadLetterStream: read.string("nats-dead-letter-stream"),
      deadLetterMaxAgeMs: read.duration("nats-dead-letter-max-age"),
    },
    receiver: {
      enabled: read.bool("receiver-enabled"),
      host: receiver.host,
      port: receiver.port,
      ...optionalField("tokenFile", read.optional("receiver-token-file")),
      ...(receiverCert === undefined || receiverKey === undefined ? {} : { tls: { certFile: receiverCert, keyFile: receiverKey } }),
      maxBodyBytes: read.int("receiver-max-body-bytes", 1024, 64 * 1024 * 1024),
      maxJsonDepth: read.int("receiver-max-json-depth", 2, 1000),
    },
    intake: {
      unmatchedMinSeverity: read.string("unmatched-min-severity") as OperatorOptions["intake"]["unmatchedMinSeverity"],
      defaultNamespace: read.string("default-namespace"),
      maxEventBytes: read.int("max-event-bytes", 1024, 1024 * 1024),
      redactPaths: read.list("redact-paths"),
      redactKeyPatterns: validPatterns(read.list("redact-key-patterns")),
      dedupWindowMs: read.duration("dedup-window"),
      foldIntervalMs: read.duration("fold-interval"),
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
    maxConcurrentReconciles: read.int("max-concurrent-reconciles", 1, 256),
  };
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
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
