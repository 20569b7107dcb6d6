// `npm run local`: kube-soar on this machine, end to end.
//
//   node hack/local.ts [--once] [--deadline 3m] [--state-dir DIR] [--bin-dir DIR]
//
// Starts the e2e control plane (kube-apiserver, etcd, controller-manager, scheduler, kwok with one
// fake Node) and NATS JetStream in the state directory (default .local/), installs the CRDs,
// creates the namespaces soar-system and batch, the samples of config/samples (Incidents
// excepted) in soar-system and the Pod the sample alert names, applies config/rbac and starts
// the operator as its ServiceAccount (`node src/main.ts`, log in <state-dir>/operator.log),
// publishes the sample Falco crypto-miner alert the way Falcosidekick does, and prints the
// Incident's progress until Ctrl-C; then stops everything. The sample Slack Connector posts to a
// local stand-in (HTTPS on 127.0.0.1, its messages printed), so the run needs no internet. With
// --once it exits 0 as soon as the Incident reaches a final phase, or 1 with the reason when
// --deadline passes first. Binaries: --bin-dir, else $KUBE_SOAR_BIN_DIR, else
// hack/build-tools.sh (hack/local.sh does that and `npm ci` first).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { parseDuration } from "../src/api/duration.ts";
import { GROUP, VERSION } from "../src/api/v1alpha1/constants.ts";
import type { Incident } from "../src/api/v1alpha1/types.generated.ts";
import { locateBinDir, REPO_ROOT } from "./harness/binaries.ts";
import { startControlPlane, type ControlPlane } from "./harness/control-plane.ts";
import { KILL_GRACE_SECONDS, openHarnessDir, type HarnessDir, type HarnessLog } from "./harness/harness-dir.ts";
import { startNats, type RunningNats } from "./harness/nats.ts";
import { sweepStaleProcesses } from "./harness/stale-sweep.ts";
import { errorMessage } from "./harness/wait-for.ts";
import { startChatStandIn, type ChatStandIn } from "./local/chat-stand-in.ts";
import { applySamples, createTargetPod, ensureNamespace, installCrds, waitForPlaybookReadiness } from "./local/cluster-setup.ts";
import { CRYPTO_MINER_ALERT, falcoSubject, publishFalcoAlert, readFalcoAlert } from "./local/falco-alert.ts";
import { incidentChanges, isTerminal } from "./local/incident-view.ts";
import { printable } from "../src/cli/terminal-text.ts";
import { SAMPLE_CHAT, samplesForLocalChat } from "./local/local-chat.ts";
import { watchNamespace, type NamespaceWatch } from "./local/namespace-watch.ts";
import { writeOperatorKubeconfig } from "./local/operator-identity.ts";
import { startOperator, type OperatorProcess } from "./local/operator-process.ts";
import { progressLog } from "./local/progress-log.ts";

const USAGE = "usage: node hack/local.ts [--once] [--deadline 3m] [--state-dir DIR] [--bin-dir DIR]";

/** The operator's namespace, where the samples go and the Incident opens. */
const SOAR_NAMESPACE = "soar-system";
/** The workload the sample alert is about. */
const TARGET = { namespace: "batch", name: "report-gen-7f9c-kq2lz", container: "worker" } as const;
const SUBDIRS = ["control-plane", "nats", "operator"] as const;

interface Command {
  once: boolean;
  deadlineMs: number;
  stateDir: string;
  binDir: string | undefined;
}

function parseCommand(argv: readonly string[]): Command {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      once: { type: "boolean", default: false },
      deadline: { type: "string", default: "3m" },
      "state-dir": { type: "string" },
      "bin-dir": { type: "string" },
    },
  });
  const deadlineMs = parseDuration(values.deadline);
  if (deadlineMs === undefined || deadlineMs <= 0) throw new Error(`--deadline: ${JSON.stringify(values.deadline)} is not a duration such as 90s or 3m\n${USAGE}`);
  const binDir = values["bin-dir"];
  return {
    once: values.once,
    deadlineMs,
    stateDir: resolve(values["state-dir"] ?? join(REPO_ROOT, ".local")),
    binDir: binDir === undefined ? undefined : resolve(binDir),
  };
}

/** Thrown when Ctrl-C (or SIGTERM, SIGHUP) interrupts the start. */
class Interrupted extends Error {
  override readonly name = "Interrupted";
}

/** Everything started so far, stopped in reverse order. */
class Session {
  controlPlane: ControlPlane | undefined;
  nats: RunningNats | undefined;
  chat: ChatStandIn | undefined;
  operatorDir: HarnessDir | undefined;
  operator: OperatorProcess | undefined;
  connection: NatsConnection | undefined;
  incidents: NamespaceWatch<Incident> | undefined;

  async stop(log: HarnessLog): Promise<void> {
    await this.incidents?.stop();
    await this.connection?.close().catch(() => undefined);
    if (this.operator !== undefined) {
      const status = await this.operator.terminate();
      log.info({ code: status.code, signal: status.signal }, "operator stopped");
    }
    await this.operatorDir?.close();
    await this.chat?.close();
    await this.nats?.stop();
    await this.controlPlane?.stop();
  }
}

const clock = (): string => new Date().toISOString().slice(11, 19);

/** What the user needs once everything runs. */
interface Started {
  /** The published alert's id, which the Incident records as its event id. */
  uuid: string;
  kubeconfig: string;
  /** Holds kubectl, among the other binaries. */
  binDir: string;
}

/** Runs start steps, each abandoned as soon as Ctrl-C arrives. */
type Step = <T>(work: Promise<T>) => Promise<T>;

/** Stops what a crashed earlier run left in the state directory, and removes its state. */
async function clearStateDir(stateDir: string, log: HarnessLog): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  for (const subdir of SUBDIRS) {
    const dir = join(stateDir, subdir);
    const swept = await sweepStaleProcesses(dir, KILL_GRACE_SECONDS * 1_000);
    if (swept.length > 0) log.info({ dir, processes: swept.length }, "stopped processes of an earlier run");
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A stand-in for the Slack webhook of the sample Connector, on 127.0.0.1 with the control
 * plane's serving certificate, so that the sample's notify step has somewhere to go.
 */
async function startChat(session: Session, controlPlane: ControlPlane, step: Step, log: HarnessLog): Promise<{ url: string; caPem: string }> {
  const { servingCert, servingKey, caCert } = controlPlane.certificates;
  const chat = await step(
    startChatStandIn({
      certFile: servingCert,
      keyFile: servingKey,
      onMessage: (text) => { show([`${SAMPLE_CHAT.connector} (local stand-in for Slack) received: ${printable(text, 300)}`]); },
    }),
  );
  session.chat = chat;
  log.info({ connector: SAMPLE_CHAT.connector, url: chat.url }, "Slack stand-in listening");
  return { url: chat.url, caPem: await readFile(caCert, "utf8") };
}

/** CRDs, namespaces, samples (the Slack Connector pointed at `chat`) and the Pod the sample alert is about. */
async function prepareCluster(kubeConfig: KubeConfig, nodeName: string, chat: { url: string; caPem: string }, step: Step, log: HarnessLog): Promise<void> {
  const crds = await step(installCrds(kubeConfig));
  log.info({ crds: crds.join(",") }, "CRDs installed");
  for (const namespace of [SOAR_NAMESPACE, TARGET.namespace]) await step(ensureNamespace(kubeConfig, namespace));
  const samples = await step(applySamples(kubeConfig, SOAR_NAMESPACE, (loaded) => samplesForLocalChat(loaded, chat)));
  log.info({ namespace: SOAR_NAMESPACE, objects: samples.join(",") }, "samples created");
  await step(createTargetPod(kubeConfig, { ...TARGET, nodeName }));
  log.info({ pod: `${TARGET.namespace}/${TARGET.name}`, node: nodeName }, "target pod running");
}

/** Starts the operator with its log in the state directory and waits for /readyz. */
async function runOperator(command: Command, session: Session, controlPlane: ControlPlane, natsUrl: string, step: Step, log: HarnessLog): Promise<void> {
  const operatorDir = await step(openHarnessDir({ dir: join(command.stateDir, "operator"), prefix: "kube-soar-operator-", log }));
  session.operatorDir = operatorDir;
  // The operator runs as its ServiceAccount with the RBAC of config/rbac, as in a cluster. Its
  // kubeconfig lives in this directory, so that its command line names it: a later run's sweep
  // then recognises a process a crashed run left behind.
  const kubeconfig = join(operatorDir.path, "kubeconfig");
  const admin = new KubeConfig();
  admin.loadFromFile(controlPlane.kubeconfigPath);
  await step(writeOperatorKubeconfig(admin, kubeconfig));
  const logFile = join(command.stateDir, "operator.log");
  await writeFile(logFile, "");
  const operator = await step(
    startOperator({
      name: "kube-soar",
      kubeconfig,
      natsUrl,
      namespace: SOAR_NAMESPACE,
      identity: "kube-soar-local",
      // The Slack stand-in listens on loopback, which Connectors may not reach by default.
      flags: { "connector-allowed-destinations": "127.0.0.1/32" },
      logFile,
      registry: operatorDir.registry,
    }),
  );
  session.operator = operator;
  await step(operator.waitUntilReady());
  const { probePort, metricsPort, receiverPort } = operator.ports;
  const receiver = receiverPort === undefined ? "off" : `http://127.0.0.1:${receiverPort} (Authorization: Bearer <the token in ${operator.receiverTokenFile}>)`;
  // Metrics listen on loopback only, without a token (--metrics-auth none): this machine's own processes read them.
  const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  log.info({ pid: operator.pid, log: logFile, probes: `http://127.0.0.1:${probePort}`, metrics, receiver }, "operator ready");
}

/** Watches the Incidents (printing their progress), then publishes the sample alert. */
async function publishAndWatch(kubeConfig: KubeConfig, session: Session, natsUrl: string, step: Step, log: HarnessLog): Promise<string> {
  // Playbooks reported not Ready take no part in matching: publish once each one has its verdict.
  for (const playbook of await step(waitForPlaybookReadiness(kubeConfig, SOAR_NAMESPACE))) {
    log.info({ playbook: playbook.name, ready: playbook.status, reason: playbook.reason, message: printable(playbook.message, 300) }, "playbook reconciled");
  }
  session.incidents = await step(
    watchNamespace<Incident>({
      kubeConfig,
      groupPath: `/apis/${GROUP}/${VERSION}`,
      resource: "incidents",
      namespace: SOAR_NAMESPACE,
      handler: {
        onAdd: (incident) => { show(incidentChanges(undefined, incident)); },
        onUpdate: (before, after) => { show(incidentChanges(before, after)); },
      },
    }),
  );
  session.connection = await step(connect({ servers: natsUrl }));
  const alert = await readFalcoAlert(CRYPTO_MINER_ALERT);
  await step(publishFalcoAlert(jetstream(session.connection), alert));
  log.info({ subject: falcoSubject(alert), uuid: alert.uuid ?? "" }, "sample Falco alert published");
  return alert.uuid ?? "";
}

async function startEverything(command: Command, env: NodeJS.ProcessEnv, session: Session, log: HarnessLog, interrupted: Promise<never>): Promise<Started> {
  const step: Step = (work) => Promise.race([work, interrupted]);
  await clearStateDir(command.stateDir, log);
  const binDir = command.binDir ?? (await step(locateBinDir({ env })));
  const controlPlane = await step(startControlPlane({ profile: "e2e", dir: join(command.stateDir, "control-plane"), binDir, log }));
  session.controlPlane = controlPlane;
  const nats = await step(startNats({ dir: join(command.stateDir, "nats"), binDir, log }));
  session.nats = nats;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(controlPlane.kubeconfigPath);
  const chat = await startChat(session, controlPlane, step, log);
  await prepareCluster(kubeConfig, controlPlane.nodeName ?? "", chat, step, log);
  await runOperator(command, session, controlPlane, nats.url, step, log);
  const uuid = await publishAndWatch(kubeConfig, session, nats.url, step, log);
  return { uuid, kubeconfig: controlPlane.kubeconfigPath, binDir };
}

function show(lines: readonly string[]): void {
  for (const line of lines) console.log(`${clock()} ${line}`);
}

/** The Incident opened for the event `uuid`, if the watch has it. */
function incidentOf(watch: NamespaceWatch<Incident> | undefined, uuid: string): Incident | undefined {
  return watch?.informer.list().find((incident) => incident.spec.event?.id === uuid);
}

/** Resolves with an exit code: 0 once the Incident of `uuid` is in a final phase, 1 at the deadline. */
async function untilFinished(session: Session, uuid: string, deadlineMs: number, interrupted: Promise<never>): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const incident = incidentOf(session.incidents, uuid);
    if (incident !== undefined && isTerminal(incident)) {
      console.log(`${clock()} incident ${incident.metadata.name ?? ""} finished: ${incident.status?.phase ?? ""}`);
      return 0;
    }
    if (Date.now() >= deadline) {
      const reason = incident === undefined ? `no Incident was opened for alert ${uuid}` : `Incident ${incident.metadata.name ?? ""} is still ${incident.status?.phase ?? "without a phase"}`;
      console.error(`local: the deadline of ${deadlineMs} ms passed: ${reason}`);
      return 1;
    }
    await Promise.race([new Promise((wake) => setTimeout(wake, 200)), interrupted]);
  }
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const command = parseCommand(argv);
  const log = progressLog();
  const session = new Session();
  let rejectInterrupted: (error: Interrupted) => void = () => undefined;
  const interrupted = new Promise<never>((_resolve, reject) => { rejectInterrupted = reject; });
  interrupted.catch(() => undefined);
  let signalled: NodeJS.Signals | undefined;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (signalled !== undefined) return;
      signalled = signal;
      rejectInterrupted(new Interrupted(signal));
    });
  }
  // Children and watchdogs do not hold the event loop; this does until everything stopped.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    const { uuid, kubeconfig, binDir } = await startEverything(command, env, session, log, interrupted);
    console.error(`\nkubectl along with:  export KUBECONFIG=${kubeconfig} PATH=${binDir}:$PATH\n                     kubectl -n ${SOAR_NAMESPACE} get incidents,playbooks,jobs\n`);
    if (command.once) return await untilFinished(session, uuid, command.deadlineMs, interrupted);
    console.error("Watching the Incident; Ctrl-C stops and removes everything.\n");
    await interrupted;
    return 0;
  } catch (error: unknown) {
    // Stopping is how the watch ends; during --once it means the check did not complete.
    if (error instanceof Interrupted) return command.once ? 130 : 0;
    console.error(`local: ${errorMessage(error)}`);
    return 1;
  } finally {
    log.info({ signal: signalled ?? "none" }, "stopping everything");
    await session.stop(log).catch((error: unknown) => { console.error(`local: while stopping: ${errorMessage(error)}`); });
    log.info({ stateDir: command.stateDir }, "stopped");
    clearInterval(keepAlive);
  }
}

let exitCode: number;
try {
  exitCode = await main(process.argv.slice(2), process.env);
} catch (error: unknown) {
  console.error(`local: ${errorMessage(error)}`);
  exitCode = 1;
}
// A start step that Ctrl-C interrupted may still be running; exiting ends it, and the harness
// watchdogs stop whatever it started.
process.exit(exitCode);
