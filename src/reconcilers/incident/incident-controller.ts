import { CoreV1Api, type KubeConfig, type V1Job } from "@kubernetes/client-node";
import { createActionClients, type ActionClients } from "../../actions/index.ts";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { Plural } from "../../api/v1alpha1/constants.ts";
import { isHumanClosed, isRunFinished, runOf } from "../../api/v1alpha1/lifecycle.ts";
import type { Connector, Incident, Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../config/options.ts";
import { createAgentPool, createConnectorCaller, type AgentPool } from "../../connectors/index.ts";
import { createGuardMetrics, protectedNamespaces, resolveApprovalPolicy, type GuardPolicy } from "../../policy/index.ts";
import { createJobClient, type JobClient } from "../../steps/job/job-client.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import type { RuntimeClock } from "../../runtime/clock.ts";
import { Controller } from "../../runtime/controller.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import type { InformerFactory } from "../../runtime/informer-factory.ts";
import { objectKey, splitObjectKey } from "../../runtime/object-key.ts";
import { WorkQueue } from "../../runtime/work-queue.ts";
import { watchConnectors, watchIncidents, watchPlaybooks, watchStepJobs } from "../collections.ts";
import { createEventRecorder, type EventRecorder } from "../event-recorder.ts";
import { managedController, type ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import type { StepHooks } from "./execute.ts";
import { playbookHistory } from "./history.ts";
import { incidentMetrics, trackActiveIncidents } from "./incident-metrics.ts";
import { IncidentReconciler } from "./incident-reconciler.ts";
import { controllingIncident } from "../../steps/job/job-owner.ts";
import { jobUpdateMatters, playbookUpdateMatters } from "./watch-filters.ts";
import { makeApiClient } from "../../runtime/kube-api-client.ts";

/** Name of the controller in metrics and logs. */
export const INCIDENT_CONTROLLER = "incident";

/** What the Incident controller is built from; everything is injected. */
export interface IncidentControllerOptions {
  readonly kubeConfig: KubeConfig;
  /** Shared informer factory; its owner starts it. */
  readonly informers: InformerFactory;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly clock: RuntimeClock;
  readonly options: Pick<OperatorOptions, "dryRun" | "paused" | "maxConcurrentReconciles" | "watchNamespaces" | "namespace" | "protectedNamespaces">;
  /** Shared with intake's matcher and the Playbook controller. */
  readonly compiler: PlaybookCompiler;
  /** The operator's identity, recorded as the Events' reporting instance. */
  readonly identity: string;
  /** Test-only interruption points (crash safety tests); absent in production. */
  readonly hooks?: StepHooks;
  /** Replaces the Kubernetes Job client; defaults to one on `kubeConfig`. */
  readonly jobs?: JobClient;
  /** Replaces the Event recorder; defaults to core/v1 Events on `kubeConfig`. */
  readonly events?: EventRecorder;
  /** Keep-alive agents of connector calls; a private pool when absent. */
  readonly agents?: AgentPool;
  /** Replaces the clients of built-in actions; defaults to ones on `kubeConfig`. */
  readonly actionClients?: ActionClients;
}

/**
 * The guard settings of an operator: the built-in protected namespaces plus the operator's own
 * and the configured ones; the operator's namespace as the privileged one; the default
 * approval policy; the operator-wide dry-run.
 */
export function guardPolicyOf(options: Pick<OperatorOptions, "dryRun" | "namespace" | "protectedNamespaces">): GuardPolicy {
  return {
    protectedNamespaces: protectedNamespaces(options.namespace, options.protectedNamespaces),
    privilegedNamespace: options.namespace,
    dryRun: options.dryRun,
    approvalRequired: resolveApprovalPolicy(),
  };
}

/** Whether a change to Playbook `name` may matter to this Incident: a run of it is not finished. */
function waitsOn(incident: Incident, name: string): boolean {
  if (isHumanClosed(incident)) return false;
  if (!(incident.spec.playbooks ?? []).includes(name)) return false;
  const run = runOf(incident, name);
  return run === undefined || !isRunFinished(run);
}

/** The key of the Incident that controls a Job, if any. */
function ownerKey(job: V1Job): string[] {
  const owner = controllingIncident(job);
  const namespace = job.metadata?.namespace;
  return owner === undefined || namespace === undefined ? [] : [`${namespace}/${owner.name}`];
}

/**
 * The Incident controller: caches of Incidents, Playbooks, Connectors and step Jobs (label
 * `soar.kube-soar.io/incident`), a keyed work queue fed by Incident changes, by Job changes
 * that matter to a step (mapped to their controlling Incident by ownerReference) and by
 * Playbook changes that matter to triage (mapped to the open Incidents that run or wait for
 * that Playbook), and the {@link IncidentReconciler}.
 * Registers `soar_*` metrics (guard refusals included) and the active-incidents gauge on
 * `registry`. Action, connector and notify steps run with the guards of {@link guardPolicyOf};
 * connector calls share keep-alive connections, released when their Connector is deleted.
 */
export function createIncidentController(options: IncidentControllerOptions): ManagedController {
  const namespaces = options.options.watchNamespaces;
  const incidents = watchIncidents(options.informers, namespaces);
  const playbooks = watchPlaybooks(options.informers, namespaces);
  const jobs = watchStepJobs(options.informers, namespaces);
  const connectors = watchConnectors(options.informers, namespaces);
  const agents = options.agents ?? createAgentPool();
  const actionClients = options.actionClients ?? createActionClients(options.kubeConfig);
  const logger = options.logger.child({ controller: INCIDENT_CONTROLLER });
  const events = options.events ?? createEventRecorder({ kubeConfig: options.kubeConfig, clock: options.clock, logger, instance: options.identity });
  const queue = new WorkQueue({ name: INCIDENT_CONTROLLER, registry: options.registry, clock: options.clock });
  const metrics = incidentMetrics(options.registry);

  const reconciler = new IncidentReconciler({
    incident: (key) => {
      const { namespace, name } = splitObjectKey(key);
      return incidents.get(namespace, name);
    },
    playbook: (namespace, name) => playbooks.get(namespace, name),
    cachedJob: (namespace, name) => jobs.get(namespace, name),
    jobs: options.jobs ?? createJobClient(options.kubeConfig),
    writeStatus: createStatusWriter(options.kubeConfig, Plural.Incident),
    events,
    compiler: options.compiler,
    metrics,
    clock: options.clock,
    dryRun: options.options.dryRun,
    paused: options.options.paused,
    hooks: options.hooks,
    calls: {
      actionClients,
      caller: createConnectorCaller({ clock: options.clock, logger, agents }),
      core: makeApiClient(options.kubeConfig, CoreV1Api),
      connector: (namespace, name) => connectors.get(namespace, name),
      logger,
    },
    guardPolicy: guardPolicyOf(options.options),
    guardMetrics: createGuardMetrics(options.registry),
    history: (namespace, playbook, incident) => playbookHistory(incidents.listByNamespace(namespace), playbook, incident),
    undo: { clients: actionClients, dryRun: options.options.dryRun, logger },
  });

  incidents.addEventHandler(enqueueKeys<Incident>(queue));
  jobs.addEventHandler(enqueueKeys<V1Job>(queue, ownerKey, jobUpdateMatters));
  playbooks.addEventHandler(
    enqueueKeys<Playbook>(
      queue,
      (playbook) => {
        const namespace = playbook.metadata.namespace ?? "";
        const name = playbook.metadata.name ?? "";
        return incidents.listByNamespace(namespace).filter((incident) => waitsOn(incident, name)).map((incident) => objectKey(incident));
      },
      playbookUpdateMatters,
    ),
  );

  // A deleted Connector's pooled connections are closed; a new one of the same name starts afresh.
  connectors.addEventHandler({ onDelete: (connector: Connector) => { agents.release(`${connector.metadata.namespace ?? ""}/${connector.metadata.name ?? ""}`); } });

  const controller = new Controller({
    name: INCIDENT_CONTROLLER,
    queue,
    reconcile: (key, context) => reconciler.reconcile(key, context),
    maxConcurrentReconciles: options.options.maxConcurrentReconciles,
    registry: options.registry,
    logger,
    clock: options.clock,
  });
  return managedController({
    drain: () => events.drain(),
    controller,
    caches: [incidents, playbooks, jobs, connectors],
    logger,
    // Only the running controller's cache feeds the gauge; a stopped one (lost leadership) stops.
    whileRunning: () => trackActiveIncidents(options.registry, metrics, () => incidents.list()),
  });
}
