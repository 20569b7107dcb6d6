import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { connect, headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { pino, type Logger } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, beforeEach, inject, onTestFailed } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { ensureCrds } from "../support/crds.ts";
import { loadKubeConfig, waitFor } from "../support/kube.ts";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Incident, Playbook } from "../../src/api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../src/config/options.ts";
import { startIntake, type IntakeHandle } from "../../src/ingest/intake-start.ts";
import { occurrenceStatus } from "../../src/api/v1alpha1/incident-occurrences.ts";
import { UNREACHED_CREATION_LIMITS } from "../../src/testing/ingest.ts";

/** The token the test receiver accepts (from `test/fixtures/receiver-tokens`) unless a test brings its own file. */
export const TEST_RECEIVER_TOKEN = "intake-test-receiver-token";

/** The `Authorization` header that carries {@link TEST_RECEIVER_TOKEN}. */
export const RECEIVER_AUTH = { authorization: `Bearer ${TEST_RECEIVER_TOKEN}` } as const;

const TEST_RECEIVER_TOKEN_FILE = fileURLToPath(new URL("../fixtures/receiver-tokens", import.meta.url));

/** Directory of the shared sample payloads. */
export const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

/** The bytes of a fixture file, e.g. `falco/hostile-fields.json`. */
export function fixtureBytes(path: string): Buffer {
  return readFileSync(new URL(path, FIXTURES));
}

/** The parsed JSON of a fixture file. */
export function fixtureJson(path: string): unknown {
  return JSON.parse(fixtureBytes(path).toString("utf8")) as unknown;
}

/** Headers and body of a fixture written as `name: value` lines, then `body: ...` (comments start with `#`). */
export function headerFixture(path: string, body?: Buffer): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = {};
  let text: string | undefined;
  for (const line of fixtureBytes(path).toString("utf8").split("\n")) {
    if (line.startsWith("#") || line.trim() === "" || line.startsWith("POST ") || line.startsWith("<body")) continue;
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name === "body") text = value;
    else if (name !== "subject") headers[name.toLowerCase()] = value;
  }
  const content = body ?? (text === undefined ? undefined : Buffer.from(text, "utf8"));
  if (content === undefined) throw new Error(`${path}: no body`);
  return { headers, body: content };
}

/** Captures log lines so a failing test can print them. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor(level: "debug" | "info" | "warn" = "info") {
    const lines = this.lines;
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString("utf8").trimEnd());
        if (lines.length > 5_000) lines.splice(0, lines.length - 5_000);
        callback();
      },
    });
    this.logger = pino({ level }, stream);
  }

  /** The last `count` lines. */
  tail(count = 80): string {
    return this.lines.slice(-count).join("\n");
  }
}

/**
 * Options for a test intake: fast backoff, short fold interval, the receiver accepting
 * {@link TEST_RECEIVER_TOKEN}, the operator's namespace `defaultNamespace` unless given (its
 * Playbooks see every alert), everything overridable.
 */
export function testOptions(input: {
  natsUrl: string;
  defaultNamespace: string;
  operatorNamespace?: string;
  stream?: string;
  durable?: string;
  receiver?: Partial<OperatorOptions["receiver"]>;
  intake?: Partial<OperatorOptions["intake"]>;
  nats?: Partial<OperatorOptions["nats"]>;
  watchNamespaces?: string[];
  suppressionMaxDurationMs?: number;
}): Pick<OperatorOptions, "namespace" | "nats" | "receiver" | "intake" | "watchNamespaces" | "suppressionMaxDurationMs"> {
  return {
    namespace: input.operatorNamespace ?? input.defaultNamespace,
    nats: {
      servers: [input.natsUrl],
      stream: input.stream ?? "SOAR_EVENTS",
      subjects: ["soar.events.>", "falco.>"],
      streamMode: "create",
      duplicateWindowMs: 120_000,
      streamLimits: { maxBytes: 0, maxMsgs: 0, discard: "new" },
      durable: input.durable ?? "kube-soar-intake",
      maxDeliver: 50,
      ackWaitMs: 5_000,
      backoffMs: [100, 250, 500, 1_000],
      concurrency: 16,
      maxInflight: { count: 1_024, bytes: 32 * 1024 * 1024 },
      deadLetterPrefix: "soar.deadletter",
      deadLetterStream: "SOAR_DEADLETTER",
      deadLetterMaxAgeMs: 3_600_000,
      deadLetterLimits: { maxBytes: 0, maxMsgs: 0, discard: "old" },
      ...input.nats,
    },
    receiver: {
      enabled: true,
      host: "127.0.0.1",
      port: 0,
      tokenFile: TEST_RECEIVER_TOKEN_FILE,
      allowUnauthenticated: false,
      maxBodyBytes: 1024 * 1024,
      maxJsonDepth: 32,
      maxInflight: { count: 64, bytes: 32 * 1024 * 1024 },
      ...input.receiver,
    },
    intake: {
      unmatchedMinSeverity: "info",
      defaultNamespace: input.defaultNamespace,
      maxEventBytes: 64 * 1024,
      redactPaths: [],
      redactKeyPatterns: [],
      dedupWindowMs: 3_600_000,
      foldIntervalMs: 100,
      creation: UNREACHED_CREATION_LIMITS,
      ...input.intake,
    },
    // Only the test's own namespaces: Playbooks of other test files (e.g. applied samples) must not match.
    watchNamespaces: input.watchNamespaces ?? [input.defaultNamespace],
    suppressionMaxDurationMs: input.suppressionMaxDurationMs ?? 720 * 3_600_000,
  };
}

/** A started intake with its registry and captured logs. */
export interface TestIntake {
  handle: IntakeHandle;
  registry: Registry;
  logs: LogCapture;
  /** `http://127.0.0.1:<port>` of the receiver. */
  receiverUrl: string;
}

/** Starts intake for a test and resolves once it is ready; when it does not get ready, `onNotReady` sees its logs before it is stopped. */
export async function startTestIntake(
  kubeConfig: KubeConfig,
  options: ReturnType<typeof testOptions>,
  waitReady: (condition: () => boolean, description: string) => Promise<unknown>,
  onNotReady: (logs: LogCapture) => void = () => undefined,
): Promise<TestIntake> {
  const logs = new LogCapture();
  const registry = new Registry();
  const handle = await startIntake({ options, kubeConfig, logger: logs.logger, registry });
  try {
    await waitReady(() => handle.ready(), "intake to be ready");
  } catch (error: unknown) {
    onNotReady(logs);
    await handle.stop();
    throw error;
  }
  const address = handle.receiverAddress();
  return { handle, registry, logs, receiverUrl: address === undefined ? "" : `http://127.0.0.1:${String(address.port)}` };
}

/** A plain NATS connection for publishing test messages. */
export function natsClient(url: string): Promise<NatsConnection> {
  return connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
}

/** Publishes with core NATS (the stream captures the subject) and waits for the server to have it. */
export async function publish(connection: NatsConnection, subject: string, data: Uint8Array, headers: Record<string, string> = {}): Promise<void> {
  const entries = Object.entries(headers);
  if (entries.length === 0) {
    connection.publish(subject, data);
  } else {
    const natsHeaderSet = natsHeaders();
    for (const [name, value] of entries) natsHeaderSet.set(name, value);
    connection.publish(subject, data, { headers: natsHeaderSet });
  }
  await connection.flush();
}

/**
 * The Incident with its occurrence fields as they stand (`occurrenceStatus`): intake alone runs
 * here, so an Incident with one occurrence has it only in `spec.opening` until a controller
 * writes status.
 */
function withOccurrences(incident: Incident): Incident {
  return { ...incident, status: occurrenceStatus(incident) };
}

/** The Incidents of a namespace, occurrence fields as they stand. */
export async function listIncidents(kubeConfig: KubeConfig, namespace: string): Promise<Incident[]> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident })) as { items: Incident[] };
  return list.items.map(withOccurrences);
}

/** One Incident, occurrence fields as they stand, or undefined when it does not exist. */
export async function getIncident(kubeConfig: KubeConfig, namespace: string, name: string): Promise<Incident | undefined> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    return withOccurrences((await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name })) as Incident);
  } catch {
    return undefined;
  }
}

/** Creates a Playbook in `namespace`. */
export async function createPlaybook(kubeConfig: KubeConfig, namespace: string, playbook: Omit<Playbook, "apiVersion" | "kind">): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  await api.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: Plural.Playbook,
    body: { apiVersion: `${GROUP}/${VERSION}`, kind: "Playbook", ...playbook },
  });
}

/** Sets `spec.state` of an Incident (what a person resolving it does). */
export async function setIncidentState(kubeConfig: KubeConfig, namespace: string, name: string, state: "Resolved" | "Closed"): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const incident = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name })) as Incident;
  incident.spec.state = state;
  await api.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name, body: incident });
}

/** The value of a counter or gauge of the registry for the given labels (0 when absent). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const data = await metric.get();
  let total = 0;
  for (const value of data.values) {
    const valueLabels = value.labels as Record<string, string | number | undefined>;
    if (Object.entries(labels).every(([key, expected]) => String(valueLabels[key]) === expected)) total += value.value;
  }
  return total;
}

/** POSTs a body to the receiver. */
export async function post(
  receiverUrl: string,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${receiverUrl}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : Buffer.from(body) });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    // Keep the text.
  }
  return { status: response.status, json };
}

/** What {@link useIntakeSuite} runs for a describe block; read it in hooks and tests, not at collection. */
export interface IntakeSuite {
  readonly kubeConfig: KubeConfig;
  readonly nats: RunningNats;
  /** A plain client for publishing. */
  readonly connection: NatsConnection;
  readonly intake: TestIntake;
  /** Messages published on `soar.deadletter.>` since the suite started, when asked for. */
  readonly deadLetters: readonly Msg[];
}

/**
 * Registers the hooks of a describe block that runs intake against its own nats-server and the
 * shared API server: before all, CRDs, then `prepare` (namespaces, Playbooks; it returns the
 * intake options for the server's URL), NATS, a client (subscribed to `soar.deadletter.>` when
 * `captureDeadLetters`) and intake, ready; after all, all of it stopped; for a failed test,
 * intake's log tail printed.
 */
export function useIntakeSuite(
  prepare: (kubeConfig: KubeConfig, natsUrl: string) => Promise<ReturnType<typeof testOptions>> | ReturnType<typeof testOptions>,
  settings: { captureDeadLetters?: boolean } = {},
): IntakeSuite {
  const state: { kubeConfig?: KubeConfig; nats?: RunningNats; connection?: NatsConnection; intake?: TestIntake; subscription?: Subscription } = {};
  const deadLetters: Msg[] = [];
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`intake suite: ${what} is not started (read it in a hook or a test)`);
    return value;
  };

  beforeAll(async () => {
    const kubeConfig = loadKubeConfig();
    state.kubeConfig = kubeConfig;
    await ensureCrds(kubeConfig);
    const nats = await startNats({ binDir: inject("binDir") });
    state.nats = nats;
    const options = await prepare(kubeConfig, nats.url);
    const connection = await natsClient(nats.url);
    state.connection = connection;
    if (settings.captureDeadLetters === true) {
      state.subscription = connection.subscribe("soar.deadletter.>", {
        callback: (error, message) => {
          if (error === null) deadLetters.push(message);
        },
      });
      await connection.flush();
    }
    state.intake = await startTestIntake(kubeConfig, options, (condition, description) => waitFor(condition, { timeoutMs: 30_000, description }));
  });

  afterAll(async () => {
    state.subscription?.unsubscribe();
    await state.intake?.handle.stop();
    await state.connection?.close();
    await state.nats?.stop();
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error(state.intake?.logs.tail() ?? "intake did not start");
    });
  });

  return {
    get kubeConfig() { return required(state.kubeConfig, "the kubeconfig"); },
    get nats() { return required(state.nats, "nats-server"); },
    get connection() { return required(state.connection, "the NATS client"); },
    get intake() { return required(state.intake, "intake"); },
    deadLetters,
  };
}
