import { join } from "node:path";
import { BatchV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { inject } from "vitest";
import { openHarnessDir, silentLog, type HarnessDir } from "../../hack/harness/harness-dir.ts";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { alertVariant, CRYPTO_MINER_ALERT, publishFalcoAlert, readFalcoAlert, type FalcoAlert } from "../../hack/local/falco-alert.ts";
import { spawnOperator, type OperatorLaunch, type OperatorProcess } from "../../hack/local/operator-process.ts";
import { ConditionType, GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Incident, IncidentApproval, Playbook, PlaybookSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "./crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "./kube.ts";

export { JobLedger, type JobSighting } from "../../hack/local/job-ledger.ts";
export type { OperatorProcess } from "../../hack/local/operator-process.ts";

/** Name of the Lease the operators of a testbed elect their leader on (in the testbed namespace). */
export const TEST_LEASE = "kube-soar-controllers";

/**
 * Lease timings short enough for tests (a standby takes over within seconds of a SIGKILL), and
 * a short ack wait so that an alert whose intake was killed midway is redelivered quickly.
 */
export const FAST_FAILOVER_FLAGS: Readonly<Record<string, string>> = {
  "lease-duration": "4s",
  "renew-deadline": "3s",
  "retry-period": "500ms",
  "nats-ack-wait": "5s",
};

/**
 * What an operator of a testbed may run differently from `node src/main.ts` of this checkout,
 * as this process's user, logging into the testbed's harness directory.
 */
export type OperatorRuntime = Partial<Pick<OperatorLaunch, "node" | "entryPoint" | "cwd" | "env" | "user" | "kubeconfig" | "logFile">>;

/** What a testbed is started with. */
export interface OperatorTestbedOptions {
  /** Prefix of the test namespace and of the alerts' rule. */
  prefix: string;
  /** Flags every operator of the testbed gets (after the testbed's own, before per-start ones). */
  flags?: Readonly<Record<string, string>>;
}

/**
 * Real operator processes (`node src/main.ts`) against the e2e control plane of the run and a
 * NATS server of their own, confined to one fresh namespace: it is their own namespace (Lease
 * included), the only one they watch, and the one unmatched alerts would go to (they are
 * dropped). Every process is recorded in a harness pidfile, so none outlives the test process.
 */
export class OperatorTestbed {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** The rule of every alert the testbed publishes; Playbooks of the testbed match on it. */
  readonly rule: string;
  readonly nats: RunningNats;
  readonly operators: OperatorProcess[] = [];
  readonly #flags: Readonly<Record<string, string>>;
  readonly #harness: HarnessDir;
  readonly #connection: NatsConnection;
  readonly #jetstream: JetStreamClient;
  readonly #alert: FalcoAlert;
  readonly #custom: CustomObjectsApi;

  private constructor(parts: {
    kubeConfig: KubeConfig;
    namespace: string;
    rule: string;
    nats: RunningNats;
    flags: Readonly<Record<string, string>>;
    harness: HarnessDir;
    connection: NatsConnection;
    alert: FalcoAlert;
  }) {
    this.kubeConfig = parts.kubeConfig;
    this.namespace = parts.namespace;
    this.rule = parts.rule;
    this.nats = parts.nats;
    this.#flags = parts.flags;
    this.#harness = parts.harness;
    this.#connection = parts.connection;
    this.#jetstream = jetstream(parts.connection);
    this.#alert = parts.alert;
    this.#custom = parts.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /** Creates the namespace, starts NATS and connects to it; the CRDs are installed if needed. */
  static async start(options: OperatorTestbedOptions): Promise<OperatorTestbed> {
    const kubeConfig = loadKubeConfig();
    await ensureCrds(kubeConfig);
    const namespace = await createTestNamespace(kubeConfig, options.prefix);
    const harness = await openHarnessDir({ prefix: `kube-soar-${options.prefix}-`, log: silentLog });
    let nats: RunningNats | undefined;
    try {
      nats = await startNats({ binDir: inject("binDir") });
      const connection = await connect({ servers: nats.url });
      return new OperatorTestbed({
        kubeConfig,
        namespace,
        rule: `kube-soar e2e ${namespace}`,
        nats,
        flags: {
          "watch-namespaces": namespace,
          "default-namespace": namespace,
          "unmatched-min-severity": "none",
          ...options.flags,
        },
        harness,
        connection,
        alert: await readFalcoAlert(CRYPTO_MINER_ALERT),
      });
    } catch (error: unknown) {
      await nats?.stop();
      await harness.close();
      throw error;
    }
  }

  /** Starts an operator process without waiting for it (so it may be killed while it starts). */
  async spawn(identity: string, flags: Readonly<Record<string, string>> = {}, runtime: OperatorRuntime = {}): Promise<OperatorProcess> {
    const index = this.operators.length;
    const operator = await spawnOperator({
      name: `operator-${index}-${identity}`,
      kubeconfig: inject("kubeconfig"),
      natsUrl: this.nats.url,
      namespace: this.namespace,
      identity,
      flags: { ...this.#flags, ...flags },
      logFile: join(this.#harness.path, `operator-${index}-${identity}.log`),
      registry: this.#harness.registry,
      ...runtime,
    });
    this.operators.push(operator);
    return operator;
  }

  /** Starts an operator process and resolves once it logged "operator started". */
  async start(identity: string, flags: Readonly<Record<string, string>> = {}, runtime: OperatorRuntime = {}): Promise<OperatorProcess> {
    const operator = await this.spawn(identity, flags, runtime);
    await operator.waitUntilStarted();
    return operator;
  }

  /** Creates a Playbook in the testbed namespace and resolves once its reconciler reports it Ready. */
  async createPlaybook(name: string, spec: PlaybookSpec, timeoutMs = 60_000): Promise<void> {
    const body: Playbook = { apiVersion: `${GROUP}/${VERSION}`, kind: "Playbook", metadata: { name, namespace: this.namespace }, spec };
    await this.#custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Playbook, body });
    let last = "not reconciled yet";
    await waitFor(
      async () => {
        const playbook = (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Playbook, name })) as Playbook;
        const ready = playbook.status?.conditions?.find((condition) => condition.type === ConditionType.Ready);
        if (ready !== undefined) last = `${ready.status} ${ready.reason}: ${ready.message}`;
        return ready?.status === "True" && ready.observedGeneration === playbook.metadata.generation;
      },
      { timeoutMs, intervalMs: 200, description: `Playbook ${name} to be Ready` },
    ).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; last Ready: ${last}`, { cause: error });
    });
  }

  /** The trigger of testbed Playbooks: the alerts this testbed publishes, and only those. */
  trigger(): PlaybookSpec["trigger"] {
    return { types: ["falco.rule.output.v1"], when: `event.data.rule == ${JSON.stringify(this.rule)}` };
  }

  /**
   * Publishes, as Falcosidekick does, the sample alert about `pod` (a new pod is a new
   * fingerprint, hence a new Incident) under the testbed's rule; resolves once JetStream stored it.
   */
  async publish(pod: string): Promise<FalcoAlert> {
    const alert = alertVariant(this.#alert, { namespace: this.namespace, pod, rule: this.rule });
    await publishFalcoAlert(this.#jetstream, alert);
    return alert;
  }

  /** Every Incident of the namespace. */
  async incidents(): Promise<Incident[]> {
    const list = (await this.#custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident })) as { items: Incident[] };
    return list.items;
  }

  /** The Incident about `pod`, once intake opened it. */
  async incidentAbout(pod: string, timeoutMs = 60_000): Promise<Incident> {
    return await waitFor(async () => (await this.incidents()).find((incident) => incident.spec.resources?.pod === pod), {
      timeoutMs,
      intervalMs: 200,
      description: `an Incident about pod ${pod}`,
    });
  }

  /** Resolves with the Incident `name` once `accept` holds for it. */
  async waitForIncident(name: string, accept: (incident: Incident) => boolean, description: string, timeoutMs = 120_000): Promise<Incident> {
    return await waitFor(
      async () => {
        const incident = (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name })) as Incident;
        return accept(incident) ? incident : undefined;
      },
      { timeoutMs, intervalMs: 250, description: `Incident ${name} ${description}` },
    );
  }

  /** Appends a decision to the Incident's `spec.approvals` (retrying on conflicts). */
  async decide(name: string, approval: IncidentApproval): Promise<void> {
    await waitFor(
      async () => {
        const current = (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name })) as Incident;
        const body: Incident = { ...current, spec: { ...current.spec, approvals: [...(current.spec.approvals ?? []), approval] } };
        await this.#custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name, body });
        return true;
      },
      { timeoutMs: 10_000, description: `a decision on Incident ${name} to be recorded` },
    );
  }

  /** Sets the Incident's `spec.state`, as a person resolving or closing it does (retrying on conflicts). */
  async setState(name: string, state: NonNullable<Incident["spec"]["state"]>): Promise<void> {
    await waitFor(
      async () => {
        const current = (await this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name })) as Incident;
        const body: Incident = { ...current, spec: { ...current.spec, state } };
        await this.#custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural.Incident, name, body });
        return true;
      },
      { timeoutMs: 10_000, description: `Incident ${name} to be set ${state}` },
    );
  }

  /** The holder of the testbed Lease ("" when released), or undefined before it exists. */
  async leaseHolder(): Promise<string | undefined> {
    try {
      const lease = await this.kubeConfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: TEST_LEASE, namespace: this.namespace });
      return lease.spec?.holderIdentity ?? "";
    } catch (error: unknown) {
      if (error instanceof Error && "code" in error && error.code === 404) return undefined;
      throw error;
    }
  }

  /** Resolves once `identity` holds the testbed Lease. */
  async waitForLeader(identity: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(async () => (await this.leaseHolder()) === identity, { timeoutMs, intervalMs: 100, description: `${identity} to hold Lease ${TEST_LEASE}` });
  }

  /**
   * Everything a failed test needs to explain itself: the operators (exit status, warnings and
   * errors of each, the log tail of the last two), the Lease holder, the Incidents with their
   * status, the Jobs and the namespace's Events.
   */
  async diagnostics(): Promise<string> {
    const sections: string[] = [];
    const section = async (title: string, body: () => Promise<string>): Promise<void> => {
      sections.push(`----- ${title} -----\n${await body().catch((error: unknown) => `(failed: ${error instanceof Error ? error.message : String(error)})`)}`);
    };
    for (const [index, operator] of this.operators.entries()) {
      await section(`operator ${operator.name} (pid ${operator.pid}, ${describeExit(operator)})`, async () => {
        if (index >= this.operators.length - 2) return await operator.logTail(120);
        const problems = (await operator.logLines()).filter((line) => line["level"] === "warn" || line["level"] === "error" || line["level"] === "fatal");
        return problems.slice(-20).map((line) => JSON.stringify(line)).join("\n") || "(no warnings or errors)";
      });
    }
    await section("lease holder", async () => JSON.stringify(await this.leaseHolder()));
    await section("incidents", async () =>
      (await this.incidents()).map((incident) => JSON.stringify({ name: incident.metadata.name, playbooks: incident.spec.playbooks, approvals: incident.spec.approvals, status: incident.status }, null, 1)).join("\n"),
    );
    await section("jobs", async () => {
      const jobs = await this.kubeConfig.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: this.namespace });
      return jobs.items.map((job) => JSON.stringify({ name: job.metadata?.name, uid: job.metadata?.uid, labels: job.metadata?.labels, conditions: job.status?.conditions?.map((condition) => condition.type) })).join("\n");
    });
    await section("events", async () => {
      const events = await this.kubeConfig.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: this.namespace });
      return events.items.map((event) => `${event.involvedObject.kind ?? ""}/${event.involvedObject.name ?? ""} ${event.type ?? ""} ${event.reason ?? ""}: ${event.message ?? ""}`).join("\n");
    });
    return sections.join("\n");
  }

  /** SIGKILLs every operator still running, disconnects and stops NATS. Idempotent. */
  async close(): Promise<void> {
    await Promise.all(this.operators.map(async (operator) => operator.exitStatus === undefined ? await operator.kill() : undefined));
    await this.#connection.close().catch(() => undefined);
    await this.nats.stop();
    await this.#harness.close();
  }
}

function describeExit(operator: OperatorProcess): string {
  const status = operator.exitStatus;
  if (status === undefined) return "running";
  return status.signal === null ? `exited with code ${String(status.code)}` : `killed by ${status.signal}`;
}
