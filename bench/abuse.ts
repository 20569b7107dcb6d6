// The operator under abuse, as a real process (`node src/main.ts`) against its own harness
// control plane (etcd + kube-apiserver) and nats-server:
//
//   node bench/abuse.ts [--sections pause,storm,flood] [--pause 5m] [--rate 1] [--ceiling-mib 300]
//                       [--storm 200] [--storm-kb 75] [--operator-flag name=value ...]
//                       [--storm-playbooks 0] [--flood 1000] [--node-option OPTION ...]
//
// Sections (each prints its figures):
// - pause: the kube-apiserver is suspended (SIGSTOP) for --pause while alerts of about 1 MiB
//   (each about a new pod, so a new Incident) keep arriving on NATS at --rate per second; the
//   operator's RSS (VmRSS of /proc/<pid>/status) is sampled every second from before the pause
//   until every alert is written; then the API server is resumed (SIGCONT) and the time until
//   every delivery is acknowledged is taken, and the Incidents are counted. The figure to hold is
//   the peak RSS against --ceiling-mib.
// - storm: --storm alerts of --storm-kb KB over HTTP (the receiver, 16 requests at a time) and
//   as many on NATS, sent at once; meanwhile this process GETs the probe server's /healthz every
//   50 ms (each request on its own, 10 s timeout, from a worker thread so that sending the storm
//   does not delay the probes) until every delivery is acknowledged, and prints the latency p50,
//   p99 and max, and the operator's own largest event-loop delay (its /metrics) meanwhile.
//   --storm-playbooks N first creates N Playbooks for the storm's alerts whose trigger is heavy CEL
//   over the whole data (every item and tag looked at) and never true, so matching each alert runs
//   N such evaluations and no response follows.
// - flood: --flood distinct unmatched critical alerts over HTTP (batches of 100), first from one
//   source, then spread over 100 sources, under the creation budgets' defaults; prints, for
//   each, the Incidents opened, the flood Incidents and the alerts counted in them, the
//   over-budget counts by limit and the time until every alert is recorded (bench/flood.ts).
// --node-option passes an option to Node itself for the operator (e.g. --cpu-prof
// --cpu-prof-dir=DIR, --heap-prof, --max-old-space-size=N).
// A further section is a function of `Harness` added to SECTIONS below.
// Figures depend on machine load: the harness processes and this one share the machine.
import { readFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as pause } from "node:timers/promises";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { once } from "node:events";
import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect, headers as natsHeaders, type NatsConnection } from "@nats-io/transport-node";
import { locateBinDir } from "../hack/harness/binaries.ts";
import { startControlPlane, type ControlPlane } from "../hack/harness/control-plane.ts";
import { openHarnessDir, silentLog } from "../hack/harness/harness-dir.ts";
import { startNats } from "../hack/harness/nats.ts";
import { errorMessage } from "../hack/harness/wait-for.ts";
import { ensureNamespace, installCrds } from "../hack/local/cluster-setup.ts";
import { startOperator, type OperatorProcess } from "../hack/local/operator-process.ts";
import { parseDuration } from "../src/api/duration.ts";
import { ConditionType, GROUP, Plural, VERSION } from "../src/api/v1alpha1/constants.ts";
import type { Playbook } from "../src/api/v1alpha1/types.generated.ts";
import type { BudgetLimit } from "../src/ingest/write/creation-budget.ts";
import { formatFloodFigures, measureCreationFlood, overBudgetFromMetricsText } from "./flood.ts";

const NAMESPACE = "bench";
const STREAM = "SOAR_EVENTS";
const STORM_TYPE = "com.example.bench.abuse";
const DURABLE = "kube-soar-intake";
/** Just under nats-server's default max_payload (1 MiB), leaving room for the headers. */
const LARGE_ALERT_BYTES = 1024 * 1024 - 8 * 1024;

const { values: args } = parseArgs({
  options: {
    sections: { type: "string", default: "pause,storm,flood" },
    pause: { type: "string", default: "5m" },
    rate: { type: "string", default: "1" },
    "ceiling-mib": { type: "string", default: "300" },
    storm: { type: "string", default: "200" },
    "storm-kb": { type: "string", default: "75" },
    "storm-playbooks": { type: "string", default: "0" },
    flood: { type: "string", default: "1000" },
    "operator-flag": { type: "string", multiple: true, default: [] },
    "node-option": { type: "string", multiple: true, default: [] },
  },
});

function positive(name: "rate" | "ceiling-mib" | "storm" | "storm-kb" | "flood"): number {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number, got ${args[name]}`);
  return value;
}

/** Everything a section needs: the running harness and operator. */
interface Harness {
  controlPlane: ControlPlane;
  kubeConfig: KubeConfig;
  connection: NatsConnection;
  jsm: JetStreamManager;
  operator: OperatorProcess;
}

function structuredCloudEvent(id: string, subject: string, data: unknown): Uint8Array {
  return Buffer.from(JSON.stringify({ specversion: "1.0", id, source: "//bench.kube-soar.io/abuse", type: STORM_TYPE, subject, severity: "high", data }));
}

/** An alert of about `bytes` bytes whose data is one long string. */
function largeAlert(index: number, bytes: number): Uint8Array {
  return structuredCloudEvent(`large-${String(index)}`, `large-pod-${String(index)}`, { index, filler: "x".repeat(bytes - 400) });
}

/** An alert of about `bytes` bytes of structured data: many small objects, as verbose producers send. */
function stormAlert(prefix: string, index: number, bytes: number): Uint8Array {
  const items = Array.from({ length: Math.max(1, Math.floor(bytes / 120)) }, (_, item) => ({
    key: `field-${String(item)}`,
    value: `value ${String(item)} of alert ${String(index)}`,
    tags: ["a", "b", String(item % 7)],
  }));
  return structuredCloudEvent(`${prefix}-${String(index)}`, `${prefix}-pod-${String(index)}`, { index, items });
}

function structuredHeaders(): ReturnType<typeof natsHeaders> {
  const set = natsHeaders();
  set.set("content-type", "application/cloudevents+json");
  return set;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** One memory sample of the operator, in MiB: its RSS and, from its /metrics, the V8 heap and external memory. */
interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

function gauge(metrics: string, name: string): number {
  const value = Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(metrics)?.[1] ?? Number.NaN);
  return value / (1024 * 1024);
}

async function memorySample(operator: OperatorProcess): Promise<MemorySample> {
  const rss = await rssMiB(operator.pid);
  const metrics = await operator.metrics().then(
    (answer) => answer.body,
    () => "",
  );
  return {
    rss,
    heapUsed: gauge(metrics, "nodejs_heap_size_used_bytes"),
    heapTotal: gauge(metrics, "nodejs_heap_size_total_bytes"),
    external: gauge(metrics, "nodejs_external_memory_bytes"),
  };
}

/** Samples the operator's memory every second until stopped; resolves with the samples. */
function sampleMemory(operator: OperatorProcess): { stop(): Promise<MemorySample[]> } {
  const samples: MemorySample[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      samples.push(await memorySample(operator));
      await pause(1_000);
    }
  })();
  return {
    stop: async () => {
      state.running = false;
      await loop;
      return samples;
    },
  };
}

async function drained(jsm: JetStreamManager): Promise<boolean> {
  const info = await jsm.consumers.info(STREAM, DURABLE);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(intervalMs);
  }
}

async function incidentCount(kubeConfig: KubeConfig, subjectPrefix: string): Promise<number> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: Plural.Incident })) as {
    items: { spec: { event?: { subject?: string } } }[];
  };
  return list.items.filter((incident) => incident.spec.event?.subject?.startsWith(subjectPrefix) === true).length;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

const mib = (value: number): string => `${value.toFixed(0)} MiB`;

async function pauseSection(harness: Harness): Promise<void> {
  const pauseMs = parseDuration(args.pause);
  if (pauseMs === undefined || pauseMs <= 0) throw new Error(`--pause: expected a duration such as 30s or 5m, got ${args.pause}`);
  const rate = positive("rate");
  const ceiling = positive("ceiling-mib");
  const { controlPlane, jsm, operator } = harness;
  const sampler = sampleMemory(operator);
  await pause(5_000);
  const baseline = await rssMiB(operator.pid);
  const count = Math.max(1, Math.round((rate * pauseMs) / 1000));
  let pausedPeak = 0;
  let published = 0;
  const began = Date.now();
  controlPlane.pauseApiServer();
  try {
    for (let index = 0; index < count; index++) {
      const wait = began + (index * 1000) / rate - Date.now();
      if (wait > 0) await pause(wait);
      harness.connection.publish(`soar.events.abuse.${String(index)}`, largeAlert(index, LARGE_ALERT_BYTES), { headers: structuredHeaders() });
      published++;
      pausedPeak = Math.max(pausedPeak, await rssMiB(operator.pid));
    }
    await harness.connection.flush();
    const rest = began + pauseMs - Date.now();
    if (rest > 0) await pause(rest);
    pausedPeak = Math.max(pausedPeak, await rssMiB(operator.pid));
  } finally {
    controlPlane.resumeApiServer();
  }
  const resumed = Date.now();
  await until(() => drained(jsm), 30 * 60_000, "every delivery acknowledged after the pause", 1_000);
  const drainSeconds = (Date.now() - resumed) / 1000;
  const samples = await sampler.stop();
  const top = samples.reduce<MemorySample | undefined>((best, sample) => (best === undefined || sample.rss > best.rss ? sample : best), undefined);
  const peak = Math.max(top?.rss ?? 0, pausedPeak);
  const written = await incidentCount(harness.kubeConfig, "large-pod-");
  console.log(
    `api-server pause: ${String(published)} alerts of ${(LARGE_ALERT_BYTES / 1024).toFixed(0)} KiB at ${String(rate)}/s during a ${(pauseMs / 1000).toFixed(0)} s pause`,
  );
  console.log(`  operator RSS: ${mib(baseline)} before, peak ${mib(pausedPeak)} while paused, peak ${mib(peak)} overall (ceiling ${mib(ceiling)}: ${peak <= ceiling ? "held" : "EXCEEDED"})`);
  if (top !== undefined) {
    console.log(`  at the sampled RSS peak (${mib(top.rss)}): V8 heap ${mib(top.heapUsed)} used of ${mib(top.heapTotal)}, external ${mib(top.external)}`);
  }
  console.log(`  after resume: every delivery acknowledged in ${drainSeconds.toFixed(1)} s; ${String(written)} of ${String(published)} Incidents written`);
}

/**
 * The /healthz prober, run in a worker thread so that this process's own work (sending the storm)
 * never delays a probe or the reading of its answer: every 50 ms a GET of its own (10 s
 * timeout) until told to stop, then the latencies of the answers in ms and the failures.
 */
const PROBE_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const latencies = [];
let failures = 0;
let running = true;
const probes = [];
parentPort.on("message", async () => {
  running = false;
  await loop;
  await Promise.all(probes);
  parentPort.postMessage({ latencies, failures });
});
const loop = (async () => {
  while (running) {
    const sent = performance.now();
    probes.push(fetch(workerData.url, { signal: AbortSignal.timeout(10000) }).then(
      async (response) => {
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - sent);
        else failures++;
      },
      () => { failures++; },
    ));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
})();
`;

function startProbing(url: string): { stop(): Promise<{ latencies: number[]; failures: number }> } {
  const worker = new Worker(PROBE_WORKER, { eval: true, workerData: { url } });
  return {
    stop: async () => {
      const result = once(worker, "message") as Promise<[{ latencies: number[]; failures: number }]>;
      worker.postMessage("stop");
      const [answer] = await result;
      await worker.terminate();
      return answer;
    },
  };
}

/** The operator's own largest event-loop delay since the previous scrape of its /metrics (prom-client resets it at every scrape). */
async function eventLoopDelayMaxMs(operator: OperatorProcess): Promise<number> {
  const metrics = (await operator.metrics()).body;
  return Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metrics)?.[1] ?? Number.NaN) * 1000;
}

/** The heavy CEL trigger of `--storm-playbooks`: every item and tag of a storm alert looked at, never true. */
const HEAVY_TRIGGER = 'has(event.data.items) && event.data.items.exists(i, i.tags.exists(t, t == "never") || i.value.endsWith(" never") || i.key.startsWith("never-"))';

/** Creates `count` Playbooks triggered by the storm's alert type with the heavy trigger, and waits until they are Ready. */
async function createHeavyPlaybooks(kubeConfig: KubeConfig, count: number): Promise<void> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const names = Array.from({ length: count }, (_, index) => `heavy-cel-${String(index)}`);
  for (const name of names) {
    const playbook: Playbook = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: "Playbook",
      metadata: { name, namespace: NAMESPACE },
      spec: {
        trigger: { types: [STORM_TYPE], when: HEAVY_TRIGGER },
        steps: [{ name: "never", job: { image: "registry.example.com/soar/never:1.0.0" } }],
      },
    };
    await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: Plural.Playbook, body: playbook });
  }
  await until(
    async () => {
      for (const name of names) {
        const playbook = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: Plural.Playbook, name })) as Playbook;
        if (playbook.status?.conditions?.find((condition) => condition.type === ConditionType.Ready)?.status !== "True") return false;
      }
      return true;
    },
    60_000,
    `${String(count)} heavy-CEL Playbooks Ready`,
  );
}

async function stormSection(harness: Harness): Promise<void> {
  const count = positive("storm");
  const playbooks = Number(args["storm-playbooks"]);
  if (!Number.isInteger(playbooks) || playbooks < 0) throw new Error(`--storm-playbooks: expected an integer >= 0, got ${args["storm-playbooks"]}`);
  if (playbooks > 0) await createHeavyPlaybooks(harness.kubeConfig, playbooks);
  const bytes = positive("storm-kb") * 1000;
  const { operator, jsm } = harness;
  const receiverPort = operator.ports.receiverPort;
  if (receiverPort === undefined) throw new Error("storm: the operator's receiver is disabled");
  // Built before the clock starts: building them is long synchronous work of this process.
  const messages = Array.from({ length: count }, (_, index) => stormAlert("storm-nats", index, bytes));
  const bodies = Array.from({ length: count }, (_, index) => Buffer.from(stormAlert("storm-http", index, bytes)));
  await eventLoopDelayMaxMs(operator);
  const prober = startProbing(`http://127.0.0.1:${String(operator.ports.probePort)}/healthz`);
  await pause(500);
  const began = Date.now();
  for (const [index, message] of messages.entries()) {
    harness.connection.publish(`soar.events.storm.${String(index)}`, message, { headers: structuredHeaders() });
  }
  await harness.connection.flush();
  let next = 0;
  let refused = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      if (body === undefined) break;
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${String(receiverPort)}/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${operator.receiverToken}`, "content-type": "application/cloudevents+json" },
          body,
        });
        await response.arrayBuffer();
        if (response.status === 202) break;
        refused++;
        await pause(Number(response.headers.get("retry-after") ?? "1") * 1000);
      }
    }
  }));
  await until(() => drained(jsm), 10 * 60_000, "every storm delivery acknowledged");
  const seconds = (Date.now() - began) / 1000;
  const { latencies, failures } = await prober.stop();
  const loopDelayMs = await eventLoopDelayMaxMs(operator);
  const sorted = [...latencies].sort((a, b) => a - b);
  const heavy = playbooks === 0 ? "" : `, each matched against ${String(playbooks)} Playbooks of heavy CEL`;
  console.log(`alert storm: ${String(count)} alerts of ${String(bytes / 1000)} KB on NATS and ${String(count)} over HTTP${heavy}, all written in ${seconds.toFixed(1)} s (${String(refused)} POSTs answered 503 and retried)`);
  console.log(
    `  /healthz every 50 ms meanwhile (from a worker thread): ${String(latencies.length)} answers, p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${percentile(sorted, 1).toFixed(1)} ms, ${String(failures)} failed or timed out`,
  );
  console.log(`  the operator's own largest event-loop delay meanwhile: ${loopDelayMs.toFixed(0)} ms`);
}

/** POSTs a batch of structured CloudEvents to the operator's receiver, retrying a 503 after its `Retry-After`. */
async function postBatch(operator: OperatorProcess, events: readonly Record<string, unknown>[]): Promise<void> {
  const receiverPort = operator.ports.receiverPort;
  if (receiverPort === undefined) throw new Error("flood: the operator's receiver is disabled");
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${String(receiverPort)}/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${operator.receiverToken}`, "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify(events),
    });
    const text = await response.text();
    if (response.status === 202) return;
    if (response.status !== 503) throw new Error(`flood: the receiver answered ${String(response.status)}: ${text}`);
    await pause(Number(response.headers.get("retry-after") ?? "1") * 1000);
  }
}

async function floodSection(harness: Harness): Promise<void> {
  const alerts = positive("flood");
  const { operator, kubeConfig } = harness;
  const overBudget = async (): Promise<Record<BudgetLimit, number>> => {
    const { status, body } = await operator.metrics();
    if (status !== 200) throw new Error(`flood: /metrics answered ${String(status)}`);
    return overBudgetFromMetricsText(body);
  };
  for (const sources of [1, 100]) {
    const figures = await measureCreationFlood({ kubeConfig, namespace: NAMESPACE, overBudget, send: (events) => postBatch(operator, events), alerts, sources });
    console.log(formatFloodFigures(figures));
  }
}

/** The sections `--sections` chooses from, run in the order given. */
const SECTIONS: Readonly<Record<string, (harness: Harness) => Promise<void>>> = {
  pause: pauseSection,
  storm: stormSection,
  flood: floodSection,
};

function operatorFlags(): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const entry of args["operator-flag"]) {
    const equals = entry.indexOf("=");
    if (equals < 1) throw new Error(`--operator-flag: expected name=value, got ${entry}`);
    flags[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return flags;
}

async function main(): Promise<void> {
  const sections = args.sections.split(",").map((name) => {
    const section = SECTIONS[name];
    if (section === undefined) throw new Error(`--sections: ${name} is not one of ${Object.keys(SECTIONS).join(", ")}`);
    return section;
  });
  const binDir = await locateBinDir();
  const controlPlane = await startControlPlane({ profile: "integration", binDir });
  const stops: (() => Promise<void>)[] = [() => controlPlane.stop()];
  try {
    const nats = await startNats({ binDir });
    stops.push(() => nats.stop());
    const harnessDir = await openHarnessDir({ prefix: "kube-soar-bench-", log: silentLog });
    stops.push(() => harnessDir.close());
    const logDir = await mkdtemp(join(tmpdir(), "kube-soar-abuse-logs-"));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(controlPlane.kubeconfigPath);
    await installCrds(kubeConfig);
    await ensureNamespace(kubeConfig, NAMESPACE);
    const flags = operatorFlags();
    const operator = await startOperator({
      name: "kube-soar",
      kubeconfig: controlPlane.kubeconfigPath,
      natsUrl: nats.url,
      namespace: NAMESPACE,
      identity: "abuse",
      flags: { "watch-namespaces": NAMESPACE, "default-namespace": NAMESPACE, "unmatched-min-severity": "info", ...flags },
      logFile: join(logDir, "operator.log"),
      registry: harnessDir.registry,
      nodeOptions: args["node-option"],
    });
    stops.push(async () => { await operator.terminate(); });
    await operator.waitUntilReady();
    const connection = await connect({ servers: nats.url });
    stops.push(() => connection.close());
    const shown = Object.entries(flags).map(([name, value]) => `--${name}=${value}`).join(" ");
    const ready = await memorySample(operator);
    console.log(`abuse: operator pid ${String(operator.pid)}, RSS ${mib(ready.rss)} when ready (V8 heap ${mib(ready.heapUsed)} used of ${mib(ready.heapTotal)}, external ${mib(ready.external)}); load average ${loadavg().map((value) => value.toFixed(1)).join(" ")}${shown === "" ? "" : `; operator flags ${shown}`}`);
    const harness: Harness = { controlPlane, kubeConfig, connection, jsm: await jetstreamManager(connection), operator };
    for (const section of sections) await section(harness);
    console.log(`operator log: ${operator.logFile} (kept); load average ${loadavg().map((value) => value.toFixed(1)).join(" ")}`);
  } finally {
    controlPlane.resumeApiServer();
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => { console.error(`bench: while stopping: ${errorMessage(error)}`); });
  }
}

await main();
