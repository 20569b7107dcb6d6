// Alert-to-first-action latency through the whole path: a raw Falco alert published on NATS
// (as Falcosidekick does) → JetStream → intake → Incident → Incident reconciler → the first
// step's Job created. Runs its own e2e control plane, NATS and operator process.
//
//   node bench/alert-to-first-action.ts [--rate 20] [--duration 30s] [--warmup 10] [--profile]
//                                       [--operator-flag name=value ...] [--bin-dir DIR] [--as-admin]
//                                       [--jobs-run | --jobs-stay]
//
// The measured path ends when the first Job is created, so by default the control plane is
// etcd and kube-apiserver only (with NATS and the operator, on the same two cores): Jobs are
// created and stay. --jobs-run adds kube-controller-manager, kube-scheduler and kwok, so every
// Job really runs and completes and the playbook's second step follows; the cluster's own
// work for those Jobs (Pods, bindings, Pod and Job status, their Events), which a real cluster
// does on other machines, then shares the two cores with the path. --jobs-stay is the default,
// spelled out.
// The operator runs as it does in a cluster: as its ServiceAccount (a token), with the RBAC of
// config/rbac, its Lease in soar-system. --as-admin runs it with the harness's admin client
// certificate instead (the API server then verifies a certificate chain on every request).
// --operator-flag passes a flag to the operator (e.g. max-concurrent-reconciles=32), to try
// settings without editing anything.
// --profile runs the operator under Node's CPU profiler and prints where its CPU time went
// (the .cpuprofile file is kept, for Chrome DevTools).
// Each alert is about a new pod (a new fingerprint, so a new Incident). Times are taken in this
// process with millisecond precision: the publish call, and the arrival of the watch events
// of the Incident (added; run started; step intent recorded) and of its first Job.
// creationTimestamp has one-second resolution, so it is not used.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as pause } from "node:timers/promises";
import { parseArgs } from "node:util";
import { CustomObjectsApi, KubeConfig, type V1Job } from "@kubernetes/client-node";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { locateBinDir } from "../hack/harness/binaries.ts";
import { startControlPlane } from "../hack/harness/control-plane.ts";
import { openHarnessDir, silentLog } from "../hack/harness/harness-dir.ts";
import { PIDFILE_NAME, readPidfile, type PidfileEntry } from "../hack/harness/pidfile.ts";
import { startNats } from "../hack/harness/nats.ts";
import { errorMessage, waitFor } from "../hack/harness/wait-for.ts";
import { ensureNamespace, installCrds } from "../hack/local/cluster-setup.ts";
import { alertVariant, CRYPTO_MINER_ALERT, publishFalcoAlert, readFalcoAlert, type FalcoAlert } from "../hack/local/falco-alert.ts";
import { JobLedger } from "../hack/local/job-ledger.ts";
import { watchNamespace } from "../hack/local/namespace-watch.ts";
import { OPERATOR_NAMESPACE, writeOperatorKubeconfig } from "../hack/local/operator-identity.ts";
import { startOperator } from "../hack/local/operator-process.ts";
import { parseDuration } from "../src/api/duration.ts";
import { ConditionType, GROUP, Plural, VERSION } from "../src/api/v1alpha1/constants.ts";
import type { Incident, Playbook } from "../src/api/v1alpha1/types.generated.ts";
import { KubeHttpClient } from "../src/runtime/kube-http.ts";

const NAMESPACE = "bench";
const PLAYBOOK = "first-action";
const RULE = "kube-soar bench alert";
const TARGET_P99_MS = 250;

interface Settings {
  rate: number;
  durationMs: number;
  warmup: number;
  profile: boolean;
  operatorFlags: Record<string, string>;
  binDir: string | undefined;
  /** Run the operator with the harness's admin certificate instead of its ServiceAccount's token. */
  asAdmin: boolean;
  /** Run the Jobs (controller-manager, scheduler, kwok), or only create them (the default). */
  jobsRun: boolean;
}

function parseSettings(argv: readonly string[]): Settings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rate: { type: "string", default: "20" },
      duration: { type: "string", default: "30s" },
      warmup: { type: "string", default: "10" },
      profile: { type: "boolean", default: false },
      "operator-flag": { type: "string", multiple: true, default: [] },
      "bin-dir": { type: "string" },
      "as-admin": { type: "boolean", default: false },
      "jobs-run": { type: "boolean", default: false },
      "jobs-stay": { type: "boolean", default: false },
    },
  });
  const rate = Number(values.rate);
  const durationMs = parseDuration(values.duration);
  const warmup = Number(values.warmup);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) throw new Error(`--rate: ${values.rate} must be a number of alerts per second from 1 to 1000`);
  if (durationMs === undefined || durationMs <= 0) throw new Error(`--duration: ${values.duration} is not a duration such as 30s`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup: ${values.warmup} must be a whole number of alerts`);
  const operatorFlags: Record<string, string> = {};
  for (const item of values["operator-flag"]) {
    const match = /^([a-z][a-z0-9-]*)=(.*)$/.exec(item);
    if (match?.[1] === undefined || match[2] === undefined) throw new Error(`--operator-flag: ${JSON.stringify(item)} must be name=value, such as max-concurrent-reconciles=32`);
    operatorFlags[match[1]] = match[2];
  }
  if (values["jobs-run"] && values["jobs-stay"]) throw new Error("--jobs-run and --jobs-stay exclude each other");
  return { rate, durationMs, warmup, profile: values.profile, operatorFlags, binDir: values["bin-dir"], asAdmin: values["as-admin"], jobsRun: values["jobs-run"] };
}

/** What the bench saw of one alert, as `Date.now()` values. */
interface Trace {
  publishedAt?: number;
  incidentAt?: number;
  runStartedAt?: number;
  intentAt?: number;
  jobAt?: number;
}

/** The pod a first-step Job is about, from its `--pod=` argument. */
function podOfJob(job: V1Job): string | undefined {
  const argument = job.spec?.template.spec?.containers[0]?.args?.find((arg) => arg.startsWith("--pod="));
  return argument?.slice("--pod=".length);
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

function row(label: string, values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const cells = [0.5, 0.9, 0.99, 1].map((fraction) => String(percentile(sorted, fraction)).padStart(7));
  return `${label.padEnd(28)}${String(sorted.length).padStart(6)}${cells.join("")}`;
}

function deltas(traces: readonly Trace[], from: keyof Trace, to: keyof Trace): number[] {
  return traces.flatMap((trace) => {
    const start = trace[from];
    const end = trace[to];
    return start === undefined || end === undefined ? [] : [end - start];
  });
}

/** Sum and count of a histogram in Prometheus text, over the series whose labels contain `labels`. */
function histogramMean(metrics: string, name: string, labels = ""): string {
  let sum = 0;
  let count = 0;
  for (const line of metrics.split("\n")) {
    const match = /^(\w+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (match === null || !(match[2] ?? "").includes(labels)) continue;
    if (match[1] === `${name}_sum`) sum += Number(match[3]);
    if (match[1] === `${name}_count`) count += Number(match[3]);
  }
  return count === 0 ? `${name}: no samples` : `${name}${labels === "" ? "" : `{${labels}}`}: mean ${((sum / count) * 1000).toFixed(1)} ms over ${count}`;
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s); 0 once it is gone. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return stat === "" ? 0 : (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total CPU seconds of the whole machine so far, from /proc/stat. */
async function machineCpuSeconds(): Promise<{ busy: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const ticks = line.split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** The processes a harness directory's pidfile lists, by component name. */
function harnessProcesses(dir: string): PidfileEntry[] {
  return readPidfile(join(dir, PIDFILE_NAME));
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The top entries of a V8 CPU profile by self time, per function and per file. */
async function summariseProfile(dir: string): Promise<string[]> {
  const file = (await readdir(dir)).find((name) => name.endsWith(".cpuprofile"));
  if (file === undefined) return [`no .cpuprofile in ${dir}`];
  const profile = JSON.parse(await readFile(join(dir, file), "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  for (const [index, id] of profile.samples.entries()) {
    const node = nodes.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (node === undefined) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "node_modules/").replace(/^.*\/(src|hack)\//, "$1/");
    const name = `${functionName === "" ? "(anonymous)" : functionName} ${where === "" ? "" : `${where}:${lineNumber + 1}`}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const group = where === "" ? functionName : where.startsWith("node_modules/") ? where.split("/").slice(0, where.startsWith("node_modules/@") ? 3 : 2).join("/") : where;
    byFile.set(group, (byFile.get(group) ?? 0) + us);
  }
  const top = (map: Map<string, number>, count: number): string[] =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, us]) => `    ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `profile ${join(dir, file)}: ${(totalUs / 1e6).toFixed(1)} s sampled`,
    "  self time by file or package:",
    ...top(byFile, 15),
    "  self time by function:",
    ...top(byFunction, 20),
  ];
}

/** `apiserver_request_duration_seconds` sums and counts by verb and resource, from the apiserver's /metrics. */
async function apiserverRequests(kubeConfig: KubeConfig): Promise<Map<string, { sum: number; count: number }>> {
  const http = new KubeHttpClient(kubeConfig);
  const response = await http.open("/metrics", {}, AbortSignal.timeout(30_000));
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const totals = new Map<string, { sum: number; count: number }>();
  for (const line of Buffer.concat(chunks).toString("utf8").split("\n")) {
    const match = /^apiserver_request_duration_seconds_(sum|count)\{([^}]*)\} ([0-9.eE+-]+)$/.exec(line);
    if (match === null) continue;
    const labels = new Map([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((pair): [string, string] => [pair[1] ?? "", pair[2] ?? ""]));
    const verb = labels.get("verb") ?? "";
    if (verb === "WATCH" || verb === "CONNECT") continue;
    const subresource = labels.get("subresource") ?? "";
    const key = `${verb} ${labels.get("resource") ?? ""}${subresource === "" ? "" : `/${subresource}`}`;
    const entry = totals.get(key) ?? { sum: 0, count: 0 };
    if (match[1] === "sum") entry.sum += Number(match[3]);
    else entry.count += Number(match[3]);
    totals.set(key, entry);
  }
  return totals;
}

/** Lines for the requests made between two snapshots: count, per-alert count and mean latency, busiest first. */
function requestLines(before: Map<string, { sum: number; count: number }>, after: Map<string, { sum: number; count: number }>, alerts: number): string[] {
  const rows = [...after].map(([key, value]) => {
    const old = before.get(key) ?? { sum: 0, count: 0 };
    return { key, count: value.count - old.count, sum: value.sum - old.sum };
  });
  return rows
    .filter((row) => row.count > 0)
    .sort((a, b) => b.sum - a.sum)
    .slice(0, 12)
    .map((row) => `  ${row.key.padEnd(36)} ${String(row.count).padStart(6)} (${(row.count / alerts).toFixed(1).padStart(4)}/alert)  mean ${((1000 * row.sum) / row.count).toFixed(1).padStart(7)} ms`);
}

async function waitForPlaybookReady(kubeConfig: KubeConfig): Promise<void> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  await waitFor(
    async () => {
      const playbook = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: Plural.Playbook, name: PLAYBOOK })) as Playbook;
      const ready = playbook.status?.conditions?.find((condition) => condition.type === ConditionType.Ready);
      return ready?.status === "True";
    },
    { timeoutMs: 60_000, intervalMs: 200, description: `Playbook ${PLAYBOOK} to be Ready` },
  );
}

/** Times of every alert by pod, fed by the Incident and Job watches. */
class Tracer {
  readonly #traces = new Map<string, Trace>();

  of(pod: string): Trace {
    let found = this.#traces.get(pod);
    if (found === undefined) this.#traces.set(pod, (found = {}));
    return found;
  }

  /** Records `stage` for `pod` now, unless it was recorded before. */
  mark(pod: string | undefined, stage: keyof Trace): void {
    if (pod !== undefined) this.of(pod)[stage] ??= Date.now();
  }

  observeIncident(incident: Incident): void {
    const pod = incident.spec.resources?.pod;
    this.mark(pod, "incidentAt");
    const run = incident.status?.playbooks?.[0];
    if (run !== undefined) this.mark(pod, "runStartedAt");
    if (run?.steps?.some((step) => step.intent !== undefined) === true) this.mark(pod, "intentAt");
  }

  /** Resolves once every pod's first Job was seen, or after `timeoutMs` (missing ones are reported). */
  async allFirstJobs(pods: readonly string[], timeoutMs: number): Promise<void> {
    await waitFor(() => pods.every((pod) => this.#traces.get(pod)?.jobAt !== undefined), { timeoutMs, intervalMs: 200, description: "every first Job" }).catch(
      () => undefined,
    );
  }
}

/** CPU use of the stack's processes and of the machine, and the apiserver's request counters, at one moment. */
interface Usage {
  processes: number[];
  machine: { busy: number; total: number };
  requests: Map<string, { sum: number; count: number }>;
}

async function measureUsage(pids: readonly number[], kubeConfig: KubeConfig): Promise<Usage> {
  return {
    processes: await Promise.all(pids.map((pid) => cpuSeconds(pid))),
    machine: await machineCpuSeconds(),
    requests: await apiserverRequests(kubeConfig),
  };
}

function printLatencies(measured: readonly Trace[], jobsRun: boolean): void {
  console.log(`${"stage (ms)".padEnd(28)}${"count".padStart(6)}${["p50", "p90", "p99", "max"].map((label) => label.padStart(7)).join("")}`);
  console.log(row("publish → Incident added", deltas(measured, "publishedAt", "incidentAt")));
  console.log(row("Incident → run started", deltas(measured, "incidentAt", "runStartedAt")));
  console.log(row("run started → intent", deltas(measured, "runStartedAt", "intentAt")));
  console.log(row("intent → Job added", deltas(measured, "intentAt", "jobAt")));
  console.log(row("Incident → Job added", deltas(measured, "incidentAt", "jobAt")));
  const total = deltas(measured, "publishedAt", "jobAt");
  console.log(row("publish → first Job added", total));
  const missingIncidents = measured.filter((entry) => entry.incidentAt === undefined).length;
  const missingJobs = measured.filter((entry) => entry.jobAt === undefined).length;
  console.log(`missing: ${missingIncidents} Incidents, ${missingJobs} first Jobs`);
  const p99 = percentile([...total].sort((a, b) => a - b), 0.99);
  const verdict = p99 < TARGET_P99_MS && missingJobs === 0 ? "met" : "MISSED";
  console.log(
    jobsRun
      ? `with the cluster also running every Job: p99 ${p99} ms, ${verdict === "met" ? "within" : "beyond"} the target of ${TARGET_P99_MS} ms (which is measured without --jobs-run)`
      : `target p99 < ${TARGET_P99_MS} ms: ${verdict} (p99 ${p99} ms)`,
  );
}

function printOperatorView(metrics: string): void {
  console.log("operator's own view:");
  for (const [name, labels] of [
    ["soar_intake_latency_seconds", ""],
    ["workqueue_queue_duration_seconds", 'name="incident"'],
    ["workqueue_work_duration_seconds", 'name="incident"'],
    ["controller_runtime_reconcile_time_seconds", 'controller="incident"'],
    ["soar_alert_to_first_action_seconds", ""],
  ] as const) {
    console.log(`  ${histogramMean(metrics, name, labels)}`);
  }
}

function printUsage(components: readonly { name: string }[], before: Usage, after: Usage, seconds: number, alerts: number): void {
  const machineBusy = after.machine.busy - before.machine.busy;
  const machineTotal = after.machine.total - before.machine.total;
  console.log(`CPU from the first alert to the last first Job (${seconds.toFixed(1)} s): machine ${machineBusy.toFixed(1)} of ${machineTotal.toFixed(1)} CPU-s busy`);
  let ours = 0;
  for (const [index, component] of components.entries()) {
    const used = (after.processes[index] ?? 0) - (before.processes[index] ?? 0);
    ours += used;
    console.log(`  ${component.name.padEnd(32)} ${used.toFixed(1).padStart(6)} CPU-s (${((100 * used) / seconds).toFixed(0)}% of one core)`);
  }
  console.log(`  ${"everything else on the machine".padEnd(32)} ${(machineBusy - ours).toFixed(1).padStart(6)} CPU-s`);
  console.log("kube-apiserver requests meanwhile (all clients, watches excluded), by total time:");
  for (const line of requestLines(before.requests, after.requests, alerts)) console.log(line);
}

/** The Playbook under test: its first step is a Job about the alert's pod. */
async function createPlaybook(kubeConfig: KubeConfig): Promise<void> {
  const playbook: Playbook = {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "Playbook",
    metadata: { name: PLAYBOOK, namespace: NAMESPACE },
    spec: {
      trigger: { types: ["falco.rule.output.v1"], when: `event.data.rule == ${JSON.stringify(RULE)}` },
      steps: [
        { name: "collect", job: { image: "registry.example.com/soar/collector:1.0.0", args: ["--pod=${{ incident.resources.pod }}"] } },
        { name: "report", needs: ["collect"], job: { image: "registry.example.com/soar/report:1.0.0" } },
      ],
    },
  };
  await kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: Plural.Playbook, body: playbook });
  await waitForPlaybookReady(kubeConfig);
}

/** Publishes `count` alerts about pods `<prefix>-<n>` at the rate, each stamped in the tracer as it leaves. */
async function publishSeries(js: JetStreamClient, base: FalcoAlert, tracer: Tracer, rate: number, prefix: string, count: number): Promise<string[]> {
  const pods = Array.from({ length: count }, (_unused, index) => `${prefix}-${index}`);
  const intervalMs = 1000 / rate;
  const began = Date.now();
  const acks: Promise<unknown>[] = [];
  for (const [index, pod] of pods.entries()) {
    // Pacing: publish i leaves at began + i / rate, whatever the previous acks do.
    const wait = began + index * intervalMs - Date.now();
    if (wait > 0) await pause(wait);
    const alert = alertVariant(base, { namespace: NAMESPACE, pod, rule: RULE });
    tracer.of(pod).publishedAt = Date.now();
    acks.push(publishFalcoAlert(js, alert));
  }
  await Promise.all(acks);
  return pods;
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const settings = parseSettings(argv);
  const binDir = settings.binDir ?? (await locateBinDir({ env }));
  const controlPlane = await startControlPlane({ profile: settings.jobsRun ? "e2e" : "integration", binDir });
  const nats = await startNats({ binDir });
  const harness = await openHarnessDir({ prefix: "kube-soar-bench-", log: silentLog });
  const logDir = await mkdtemp(join(tmpdir(), "kube-soar-bench-logs-"));
  const stops: (() => Promise<void>)[] = [];
  try {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(controlPlane.kubeconfigPath);
    await installCrds(kubeConfig);
    await ensureNamespace(kubeConfig, NAMESPACE);
    const operatorKubeconfig = join(logDir, "operator.kubeconfig");
    if (!settings.asAdmin) await writeOperatorKubeconfig(kubeConfig, operatorKubeconfig);
    const operator = await startOperator({
      name: "kube-soar",
      kubeconfig: settings.asAdmin ? controlPlane.kubeconfigPath : operatorKubeconfig,
      natsUrl: nats.url,
      namespace: settings.asAdmin ? NAMESPACE : OPERATOR_NAMESPACE,
      identity: "bench",
      flags: { "watch-namespaces": NAMESPACE, "default-namespace": NAMESPACE, "unmatched-min-severity": "none", ...settings.operatorFlags },
      logFile: join(logDir, "operator.log"),
      registry: harness.registry,
      ...(settings.profile ? { nodeOptions: ["--cpu-prof", `--cpu-prof-dir=${logDir}`] } : {}),
    });
    stops.push(async () => { await operator.terminate(); });
    await operator.waitUntilReady();
    await createPlaybook(kubeConfig);

    const tracer = new Tracer();
    const incidents = await watchNamespace<Incident>({
      kubeConfig,
      groupPath: `/apis/${GROUP}/${VERSION}`,
      resource: "incidents",
      namespace: NAMESPACE,
      handler: { onAdd: (incident) => { tracer.observeIncident(incident); }, onUpdate: (_old, incident) => { tracer.observeIncident(incident); } },
    });
    stops.push(() => incidents.stop());
    const ledger = await JobLedger.start(kubeConfig, NAMESPACE, (sighting) => {
      if (sighting.step === "collect") tracer.mark(podOfJob(sighting.job), "jobAt");
    });
    stops.push(() => ledger.stop());
    const connection = await connect({ servers: nats.url });
    stops.push(() => connection.close());
    const js = jetstream(connection);
    const base = await readFalcoAlert(CRYPTO_MINER_ALERT);

    if (settings.warmup > 0) await tracer.allFirstJobs(await publishSeries(js, base, tracer, settings.rate, "warmup", settings.warmup), 60_000);
    const count = Math.round((settings.rate * settings.durationMs) / 1000);
    const components = [
      { pid: operator.pid, name: "kube-soar operator" },
      ...harnessProcesses(controlPlane.dir),
      ...harnessProcesses(nats.dir),
      { pid: process.pid, name: "this bench (publisher, watches)" },
    ];
    const pids = components.map((component) => component.pid);
    const before = await measureUsage(pids, kubeConfig);
    const startedAt = Date.now();
    const pods = await publishSeries(js, base, tracer, settings.rate, "alert", count);
    const publishSeconds = (Date.now() - startedAt) / 1000;
    await tracer.allFirstJobs(pods, 120_000);
    const busySeconds = (Date.now() - startedAt) / 1000;
    const after = await measureUsage(pids, kubeConfig);

    const load = loadavg().map((value) => value.toFixed(2)).join(" ");
    const flags = Object.entries(settings.operatorFlags).map(([name, value]) => `--${name}=${value}`).join(" ");
    console.log(`alert-to-first-action: ${count} alerts at ${settings.rate}/s over ${publishSeconds.toFixed(1)} s (after ${settings.warmup} warm-up alerts); ${settings.jobsRun ? "Jobs run (controller-manager, scheduler, kwok)" : "Jobs created, not run (etcd and kube-apiserver only)"}; load average ${load}${flags === "" ? "" : `; operator flags ${flags}`}`);
    printLatencies(pods.map((pod) => tracer.of(pod)), settings.jobsRun);
    printOperatorView((await operator.metrics()).body);
    printUsage(components, before, after, busySeconds, count);
    console.log(`operator log: ${operator.logFile} (kept)`);
    if (settings.profile) {
      // The profile is written when the process exits.
      await operator.terminate();
      for (const line of await summariseProfile(logDir)) console.log(line);
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => { console.error(`bench: while stopping: ${errorMessage(error)}`); });
    await harness.close();
    await nats.stop();
    await controlPlane.stop();
  }
}

try {
  await main(process.argv.slice(2), process.env);
} catch (error: unknown) {
  console.error(`bench: ${errorMessage(error)}`);
  process.exitCode = 1;
}
