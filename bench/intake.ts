/**
 * Intake throughput and latency against the real harness: its own etcd + kube-apiserver and
 * nats-server (hack/harness), the CRDs applied, and intake as the operator runs it.
 *
 *   node bench/intake.ts [--incidents 3000] [--duplicates 30000] [--rate 50] [--seconds 10]
 *                        [--phases new,duplicates,latency]
 *
 * Phases (each prints its figures):
 * 1. new Incidents/s: N alerts with distinct fingerprints are stored in JetStream first, then
 *    intake is started and timed from ready until every delivery is acknowledged;
 * 2. duplicates folded/s: M alerts of one fingerprint (distinct ids), timed the same way;
 * 3. latency: alerts with distinct fingerprints published at a steady rate; for each, the time
 *    from publish to its Incident appearing in a watch (end to end), plus the in-process
 *    receipt-to-durable-write histogram.
 * Figures depend on machine load; the harness processes share the machine with this one.
 */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { loadavg } from "node:os";
import { parseArgs, promisify } from "node:util";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, headers as natsHeaders, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import { pino } from "pino";
import { Registry } from "prom-client";
import { REPO_ROOT } from "../hack/harness/binaries.ts";
import { startControlPlane, type ControlPlane } from "../hack/harness/control-plane.ts";
import { startNats, type RunningNats } from "../hack/harness/nats.ts";
import { occurrenceStatus } from "../src/api/v1alpha1/incident-occurrences.ts";
import type { Incident } from "../src/api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../src/config/options.ts";
import { startIntake, type IntakeHandle } from "../src/ingest/intake-start.ts";
import { UNREACHED_CREATION_LIMITS } from "../src/testing/ingest.ts";

const run = promisify(execFile);
const structured = { "content-type": "application/cloudevents+json" };

const { values: args } = parseArgs({
  options: {
    incidents: { type: "string", default: "3000" },
    duplicates: { type: "string", default: "30000" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    phases: { type: "string", default: "new,duplicates,latency" },
  },
});

function intArg(name: "incidents" | "duplicates" | "rate" | "seconds"): number {
  const value = Number(args[name]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, got ${args[name]}`);
  return value;
}

function cloudEvent(id: string, subject: string): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      specversion: "1.0",
      id,
      source: "//bench.kube-soar.io/intake",
      type: "com.example.bench.alert",
      subject,
      severity: "high",
      data: { id, note: "benchmark alert", numbers: [1, 2, 3] },
    }),
  );
}

function options(natsUrl: string, namespace: string): Pick<OperatorOptions, "namespace" | "nats" | "receiver" | "intake" | "watchNamespaces" | "suppressionMaxDurationMs"> {
  return {
    namespace,
    nats: {
      servers: [natsUrl],
      stream: "SOAR_EVENTS",
      subjects: ["soar.events.>", "falco.>"],
      streamMode: "create",
      duplicateWindowMs: 120_000,
      streamLimits: { maxBytes: 0, maxMsgs: 0, discard: "new" },
      durable: "kube-soar-intake",
      maxDeliver: 20,
      ackWaitMs: 30_000,
      backoffMs: [1_000, 5_000],
      concurrency: 64,
      maxInflight: { count: 4_096, bytes: 32 * 1024 * 1024 },
      deadLetterPrefix: "soar.deadletter",
      deadLetterStream: "SOAR_DEADLETTER",
      deadLetterMaxAgeMs: 3_600_000,
      deadLetterLimits: { maxBytes: 0, maxMsgs: 0, discard: "old" },
    },
    receiver: { enabled: false, host: "127.0.0.1", port: 0, allowUnauthenticated: false, maxBodyBytes: 1_048_576, maxJsonDepth: 32, maxInflight: { count: 64, bytes: 32 * 1024 * 1024 } },
    intake: {
      unmatchedMinSeverity: "info",
      defaultNamespace: namespace,
      maxEventBytes: 65_536,
      redactPaths: [],
      redactKeyPatterns: [],
      dedupWindowMs: 3_600_000,
      foldIntervalMs: 250,
      creation: UNREACHED_CREATION_LIMITS,
    },
    watchNamespaces: [],
    suppressionMaxDurationMs: 720 * 3_600_000,
  };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function drained(connection: NatsConnection): Promise<boolean> {
  const jsm = await jetstreamManager(connection);
  try {
    const info = await jsm.consumers.info("SOAR_EVENTS", "kube-soar-intake");
    return info.num_pending === 0 && info.num_ack_pending === 0;
  } catch {
    return false;
  }
}

function structuredHeaders(): MsgHdrs {
  const set = natsHeaders();
  set.set("content-type", structured["content-type"]);
  return set;
}

async function publishAll(connection: NatsConnection, count: number, make: (index: number) => Uint8Array): Promise<void> {
  for (let index = 0; index < count; index++) {
    connection.publish("soar.events.bench", make(index), { headers: structuredHeaders() });
    if (index % 1_000 === 999) await connection.flush();
  }
  await connection.flush();
}

async function storedMessages(connection: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(connection);
  return (await jsm.streams.info("SOAR_EVENTS")).state.messages;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function histogramQuantile(registry: Registry, name: string, fraction: number): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return Number.NaN;
  const data = await metric.get();
  const buckets = data.values
    .filter((value) => (value as { metricName?: string }).metricName === `${name}_bucket`)
    .map((value) => ({ le: Number((value.labels as { le: string | number }).le), count: value.value }))
    .sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  const rank = fraction * total;
  let previous = { le: 0, count: 0 };
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return previous.le;
      const width = bucket.count - previous.count;
      return width === 0 ? bucket.le : previous.le + ((rank - previous.count) / width) * (bucket.le - previous.le);
    }
    previous = bucket;
  }
  return Number.NaN;
}

async function startBenchIntake(kubeConfig: KubeConfig, natsUrl: string, namespace: string, registry: Registry): Promise<IntakeHandle> {
  const handle = await startIntake({ options: options(natsUrl, namespace), kubeConfig, logger: pino({ level: "warn" }), registry });
  await until(() => handle.ready(), 60_000, "intake ready");
  return handle;
}

/**
 * Watches the bench namespace's Incidents until stopped, watching again after any failure (the
 * API server answers 429 while the watch cache of a new resource is still initialising).
 */
async function watchIncidents(kubeConfig: KubeConfig, onEvent: (phase: string, object: Incident) => void): Promise<{ stop(): void }> {
  const stop = new AbortController();
  let current: AbortController | undefined;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const start = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      const ended = new Promise<void>((resolve) => {
        void new Watch(kubeConfig)
          .watch("/apis/soar.kube-soar.io/v1alpha1/namespaces/bench/incidents", {}, (phase: string, object: Incident) => {
            ready();
            onEvent(phase, object);
          }, () => {
            resolve();
          })
          .then((controller) => {
            current = controller;
          }, () => {
            resolve();
          });
      });
      await ended;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  void start();
  // A watch is established once the API server accepts it; give it a moment to prove it lives.
  await Promise.race([started, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  return {
    stop: () => {
      stop.abort();
      current?.abort();
    },
  };
}

/** What every phase needs. */
interface Bench {
  kubeConfig: KubeConfig;
  natsUrl: string;
  connection: NatsConnection;
}

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(1)} ms`;
}

/** Stores `count` alerts in JetStream, then times intake from ready until every delivery is acknowledged. */
async function drainTimed(bench: Bench, count: number, make: (index: number) => Uint8Array): Promise<{ seconds: number; registry: Registry }> {
  await publishAll(bench.connection, count, make);
  await until(async () => (await storedMessages(bench.connection)) >= count, 60_000, "alerts stored");
  const registry = new Registry();
  const intake = await startBenchIntake(bench.kubeConfig, bench.natsUrl, "bench", registry);
  const started = performance.now();
  await until(() => drained(bench.connection), 600_000, "every delivery acknowledged");
  const seconds = (performance.now() - started) / 1000;
  await intake.stop();
  return { seconds, registry };
}

async function newIncidentsPhase(bench: Bench, count: number): Promise<void> {
  const { seconds, registry } = await drainTimed(bench, count, (index) => cloudEvent(`new-${String(index)}`, `unique-${String(index)}`));
  const p50 = await histogramQuantile(registry, "soar_intake_latency_seconds", 0.5);
  const p99 = await histogramQuantile(registry, "soar_intake_latency_seconds", 0.99);
  console.log(`new incidents:      ${String(count)} in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} Incidents/s (target >= 300)`);
  console.log(`  receipt -> durable write while draining the backlog: p50 ${ms(p50)}, p99 ${ms(p99)}`);
}

async function duplicatesPhase(bench: Bench, count: number): Promise<void> {
  const { seconds, registry } = await drainTimed(bench, count, (index) => cloudEvent(`dup-${String(index)}`, "one-fingerprint"));
  const folded = (await registry.getSingleMetric("soar_intake_duplicates_folded_total")?.get())?.values[0]?.value ?? 0;
  console.log(`duplicates folded:  ${String(count)} in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} alerts/s (target >= 5000); folded counter ${String(folded)}`);
}

async function latencyPhase(bench: Bench, rate: number, seconds: number): Promise<void> {
  const registry = new Registry();
  const intake = await startBenchIntake(bench.kubeConfig, bench.natsUrl, "bench", registry);
  const sent = new Map<string, number>();
  const seen: number[] = [];
  const onEvent = (phase: string, object: Incident): void => {
    const subject = object.spec.event?.subject ?? "";
    const at = sent.get(subject);
    if (at !== undefined && (occurrenceStatus(object).occurrences ?? 0) >= 1 && (phase === "ADDED" || phase === "MODIFIED")) {
      seen.push(performance.now() - at);
      sent.delete(subject);
    }
  };
  const watch = await watchIncidents(bench.kubeConfig, onEvent);
  try {
    const total = rate * seconds;
    const started = performance.now();
    for (let index = 0; index < total; index++) {
      const wait = started + (index * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const subject = `latency-${String(index)}`;
      sent.set(subject, performance.now());
      bench.connection.publish("soar.events.bench", cloudEvent(`lat-${String(index)}`, subject), { headers: structuredHeaders() });
    }
    const deadline = Date.now() + 120_000;
    while (sent.size > 0) {
      if (Date.now() > deadline) throw new Error(`${String(sent.size)} of ${String(total)} latency alerts never reached an Incident`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    watch.stop();
    await intake.stop();
  }
  const sorted = [...seen].sort((a, b) => a - b);
  console.log(
    `latency at ${String(rate)} alerts/s for ${String(seconds)} s (publish -> Incident seen by a watch): p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${percentile(sorted, 1).toFixed(1)} ms`,
  );
  const p50 = await histogramQuantile(registry, "soar_intake_latency_seconds", 0.5);
  const p99 = await histogramQuantile(registry, "soar_intake_latency_seconds", 0.99);
  console.log(`  in-process receipt -> durable write: p50 ${ms(p50)}, p99 ${ms(p99)} (histogram bucket interpolation)`);
}

async function main(): Promise<void> {
  const incidents = intArg("incidents");
  const duplicates = intArg("duplicates");
  const rate = intArg("rate");
  const seconds = intArg("seconds");
  const phases = new Set(args.phases.split(","));
  let controlPlane: ControlPlane | undefined;
  let nats: RunningNats | undefined;
  let connection: NatsConnection | undefined;
  try {
    const setupStarted = Date.now();
    controlPlane = await startControlPlane({ profile: "integration" });
    nats = await startNats({ binDir: controlPlane.binDir });
    const kubectl = [`${controlPlane.binDir}/kubectl`, "--kubeconfig", controlPlane.kubeconfigPath] as const;
    const crdFiles = (await readdir(`${REPO_ROOT}/crds`)).filter((file) => file.endsWith(".soar.kube-soar.io.yaml"));
    await run(kubectl[0], [...kubectl.slice(1), "apply", "--server-side", ...crdFiles.flatMap((file) => ["-f", `${REPO_ROOT}/crds/${file}`])]);
    await run(kubectl[0], [...kubectl.slice(1), "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
    await run(kubectl[0], [...kubectl.slice(1), "create", "namespace", "bench"]);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(controlPlane.kubeconfigPath);
    connection = await connect({ servers: nats.url });
    const bench: Bench = { kubeConfig, natsUrl: nats.url, connection };
    console.log(`harness ready in ${String(Date.now() - setupStarted)} ms (etcd + kube-apiserver + nats-server); load average ${loadavg().map((value) => value.toFixed(1)).join(" ")}`);
    // The stream and the consumer exist once intake has started once.
    await (await startBenchIntake(kubeConfig, nats.url, "bench", new Registry())).stop();
    if (phases.has("new")) await newIncidentsPhase(bench, incidents);
    if (phases.has("duplicates")) await duplicatesPhase(bench, duplicates);
    if (phases.has("latency")) await latencyPhase(bench, rate, seconds);
    console.log(`rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB; load average ${loadavg().map((value) => value.toFixed(1)).join(" ")}`);
  } finally {
    await connection?.close();
    await nats?.stop();
    await controlPlane?.stop();
  }
}

await main();
