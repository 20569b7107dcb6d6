import { Writable } from "node:stream";
import { BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Job } from "@kubernetes/client-node";
import { pino } from "pino";
import { Registry } from "prom-client";
import { ConditionType, GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Condition, Incident, IncidentSpec, IncidentStatus, Playbook, PlaybookSpec, StepState } from "../../src/api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../src/expr/index.ts";
import { PlaybookCompiler, type StepKind } from "../../src/playbook/index.ts";
import { buildControllers, type LifecycleEventSink, type StepHooks } from "../../src/reconcilers/index.ts";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { InformerFactory } from "../../src/runtime/informer-factory.ts";
import { KubeHttpClient } from "../../src/runtime/kube-http.ts";
import { waitFor } from "../support/kube.ts";
import { loopbackDestinations } from "../../src/testing/loopback-destinations.ts";
import type { DestinationPolicy } from "../../src/policy/destination-policy.ts";

/** Operator switches a test may set. */
export interface TestControllerOptions {
  readonly dryRun?: boolean;
  readonly paused?: boolean;
  /** `--critical-reserve-percent`; 0 unless given. */
  readonly criticalReservePercent?: number;
  readonly hooks?: StepHooks;
  readonly stepKinds?: ReadonlySet<StepKind>;
  /** Start only the Playbook controller (the others' caches still run). */
  readonly playbookOnly?: boolean;
  /**
   * `--verify-tenancy`: off unless given, as the test namespace is a tenant's (the operator's is
   * kube-soar-system) and the tests that are not about tenancy write Job steps, Connector
   * Secrets and approvals as the admin without the admission policies bound.
   */
  readonly verifyTenancy?: boolean;
  /** `--suppression-max-duration`; 720h unless given. */
  readonly suppressionMaxDurationMs?: number;
  /** The destination policy of connector calls; by default the test namespace's Connectors may reach loopback (the tests' endpoints are local servers). */
  readonly destinations?: DestinationPolicy;
  /** Where the Incident controller publishes lifecycle events; none are published unless given. */
  readonly lifecycleEvents?: LifecycleEventSink;
}

/** Both controllers of one test, limited to its namespace, and what they logged. */
export interface TestControllers {
  readonly registry: Registry;
  readonly logs: string[];
  /** Stops the controllers and their informers and waits for them. */
  stop(): Promise<void>;
  /** Aborts everything at once, without waiting: what a SIGKILL does to an in-process operator. */
  kill(): void;
}

/**
 * Starts the Playbook, Incident and Connector controllers on `namespace` only (test files share one
 * control plane), with their own informer factory, registry and captured JSON logs.
 */
export async function startControllers(kubeConfig: KubeConfig, namespace: string, options: TestControllerOptions = {}): Promise<TestControllers> {
  const logs: string[] = [];
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString("utf8").trimEnd());
        if (logs.length > 5_000) logs.splice(0, logs.length - 5_000);
        callback();
      },
    }),
  );
  const registry = new Registry();
  const clock = systemRuntimeClock;
  const informers = new InformerFactory({ client: new KubeHttpClient(kubeConfig), clock, logger });
  const compiler = new PlaybookCompiler(createExpressionCompiler());
  const built = buildControllers({
    kubeConfig,
    informers,
    logger,
    registry,
    clock,
    compiler,
    identity: "test-operator",
    destinations: options.destinations ?? loopbackDestinations(namespace),
    options: { dryRun: options.dryRun ?? false, paused: options.paused ?? false, criticalReservePercent: options.criticalReservePercent ?? 0, maxConcurrentReconciles: 2, watchNamespaces: [namespace], namespace: "kube-soar-system", protectedNamespaces: [], protectedNodes: undefined, verifyTenancy: options.verifyTenancy ?? false, suppressionMaxDurationMs: options.suppressionMaxDurationMs ?? 720 * 3_600_000 },
    ...(options.stepKinds === undefined ? {} : { stepKinds: options.stepKinds }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    lifecycleEvents: options.lifecycleEvents,
  });
  // The Incident and Connector controllers are built (their caches run) but not started.
  const controllers = options.playbookOnly === true ? [built.playbook] : built.all;
  const abort = new AbortController();
  informers.start(abort.signal);
  const running = controllers.map((controller) => controller.start(abort.signal));
  await waitFor(() => controllers.every((controller) => controller.hasSynced()), { timeoutMs: 30_000, description: "controller caches to sync" });
  return {
    registry,
    logs,
    async stop() {
      abort.abort();
      await Promise.all(running);
      await informers.stopped();
    },
    kill() {
      abort.abort();
    },
  };
}

/** Typed reads and writes of kube-soar objects for tests. */
export class SoarObjects {
  readonly #custom: CustomObjectsApi;
  readonly #batch: BatchV1Api;
  readonly #core: CoreV1Api;
  readonly namespace: string;

  constructor(kubeConfig: KubeConfig, namespace: string) {
    this.#custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#batch = kubeConfig.makeApiClient(BatchV1Api);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.namespace = namespace;
  }

  async createPlaybook(name: string, spec: PlaybookSpec): Promise<Playbook> {
    const body: Playbook = { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Playbook", metadata: { name, namespace: this.namespace }, spec };
    return (await this.#custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Playbook, body })) as Playbook;
  }

  async playbook(name: string): Promise<Playbook> {
    return (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Playbook, name })) as Playbook;
  }

  /** Replaces the Playbook's spec (read, modify, write). */
  async updatePlaybook(name: string, spec: PlaybookSpec): Promise<Playbook> {
    const current = await this.playbook(name);
    const body: Playbook = { ...current, spec };
    return (await this.#custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Playbook, name, body })) as Playbook;
  }

  async createConnector(name: string): Promise<void> {
    const body = {
      apiVersion: "soar.kube-soar.io/v1alpha1",
      kind: "Connector",
      metadata: { name, namespace: this.namespace },
      spec: { type: "webhook", url: "https://hooks.example.invalid/soar" },
    };
    await this.#custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Connector, body });
  }

  /**
   * Creates an Incident as intake would: spec, then the status fields intake owns (merged into
   * whatever the controllers wrote meanwhile, retried on conflicts).
   */
  async createIncident(name: string, spec: IncidentSpec, status: IncidentStatus = {}): Promise<Incident> {
    const body: Incident = { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Incident", metadata: { name, namespace: this.namespace }, spec };
    await this.#custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, body });
    const now = new Date().toISOString();
    return await waitFor(
      async () => {
        const current = await this.incident(name);
        const withStatus: Incident = { ...current, status: { ...current.status, occurrences: 1, firstSeen: now, lastSeen: now, ...status } };
        return (await this.#custom.replaceNamespacedCustomObjectStatus({
          group: GROUP,
          version: VERSION,
          namespace: this.namespace,
          plural: Plural.Incident,
          name,
          body: withStatus,
        })) as Incident;
      },
      { timeoutMs: 10_000, description: `the status of Incident ${name} to be initialised` },
    );
  }

  async incident(name: string): Promise<Incident> {
    return (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name })) as Incident;
  }

  /** Applies `change` to the Incident's spec and writes it back (retrying on conflicts). */
  async updateIncidentSpec(name: string, change: (spec: IncidentSpec) => IncidentSpec): Promise<void> {
    await waitFor(
      async () => {
        const current = await this.incident(name);
        const body: Incident = { ...current, spec: change(current.spec) };
        await this.#custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name, body });
        return true;
      },
      { timeoutMs: 10_000, description: `Incident ${name} spec to be updated` },
    );
  }

  async jobs(): Promise<V1Job[]> {
    return (await this.#batch.listNamespacedJob({ namespace: this.namespace })).items;
  }

  /** `reason: message` of every Event about `name`, oldest first. */
  async events(name: string): Promise<string[]> {
    const list = await this.#core.listNamespacedEvent({ namespace: this.namespace, fieldSelector: `involvedObject.name=${name}` });
    return list.items.map((event) => `${event.reason ?? ""}: ${event.message ?? ""}`);
  }

  /** The namespace's kube-soar objects (status included, managedFields left out), Jobs and Events, for a failing test's output. */
  async dump(): Promise<string> {
    const list = async (plural: string): Promise<unknown[]> => {
      const answer = (await this.#custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural })) as {
        items: { metadata: { name?: string; generation?: number; resourceVersion?: string }; spec: unknown; status?: unknown }[];
      };
      return answer.items.map((item) => ({
        name: item.metadata.name,
        generation: item.metadata.generation,
        resourceVersion: item.metadata.resourceVersion,
        spec: item.spec,
        status: item.status,
      }));
    };
    const events = await this.#core.listNamespacedEvent({ namespace: this.namespace });
    return JSON.stringify(
      {
        playbooks: await list(Plural.Playbook),
        incidents: await list(Plural.Incident),
        jobs: (await this.jobs()).map((job) => ({ name: job.metadata?.name, status: job.status })),
        events: events.items.map((event) => `${event.involvedObject.name ?? ""} ${event.reason ?? ""}: ${event.message ?? ""}`),
      },
      null,
      1,
    );
  }
}

/** The condition `type` of an object's status. */
export function conditionOf(object: { status?: { conditions?: Condition[] } }, type: string = ConditionType.Ready): Condition | undefined {
  return object.status?.conditions?.find((condition) => condition.type === type);
}

/** A minimal Incident spec that runs `playbooks`. */
export function incidentSpec(playbooks: string[], extra: Partial<IncidentSpec> = {}): IncidentSpec {
  return {
    severity: "high",
    title: "Suspicious process in container",
    fingerprint: "fp-test",
    source: { kind: "falco" },
    event: { id: "evt-1", source: "https://falco.org", type: "falco.rule.output.v1", data: { rule: "Terminal shell in container", output_fields: { "k8s.pod.name": "web-0" } } },
    resources: { namespace: "shop", pod: "web-0" },
    playbooks,
    ...extra,
  };
}

/**
 * Runs `body`; when it throws, appends the controllers' log tail and the namespace's objects
 * and Events to the error, so a failure explains itself.
 */
export async function explainFailure(objects: SoarObjects, controllers: TestControllers | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error: unknown) {
    const dump = await objects.dump().catch((dumpError: unknown) => `(dump failed: ${String(dumpError)})`);
    const logs = controllers?.logs.slice(-60).join("\n") ?? "";
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- objects ---\n${dump}\n--- operator log (tail) ---\n${logs}`, { cause: error });
  }
}

/** The state of `step` in the run of `playbook`, or of the Incident's first run when no Playbook is named. */
export function stepOf(incident: Incident, step: string, playbook?: string): StepState | undefined {
  const runs = incident.status?.playbooks ?? [];
  const run = playbook === undefined ? runs[0] : runs.find((candidate) => candidate.name === playbook);
  return run?.steps?.find((state) => state.name === step);
}
