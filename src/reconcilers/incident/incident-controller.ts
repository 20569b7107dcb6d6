import { CoreV1Api, type V1Job } from "@kubernetes/client-node";
import { createActionClients, type ActionClients } from "../../actions/index.ts";
import { Plural } from "../../api/v1alpha1/constants.ts";
import { isHumanClosed, isRunFinished, runOf } from "../../api/v1alpha1/lifecycle.ts";
import type { Connector, Incident, Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../config/options.ts";
import { createAgentPool, createConnectorCaller, type AgentPool } from "../../connectors/index.ts";
import { createGuardMetrics, guardPolicyOf, type DestinationPolicy } from "../../policy/index.ts";
import { createJobClient, type JobClient } from "../../steps/job/job-client.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import { objectKey, splitObjectKey } from "../../runtime/object-key.ts";
import { watchConnectors, watchIncidents, watchPlaybooks, watchStepJobs } from "../collections.ts";
import { controllerBase, type ControllerBaseOptions } from "../controller-base.ts";
import type { ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import type { StepHooks } from "./execute.ts";
import { playbookHistory } from "./history.ts";
import { incidentMetrics, trackActiveIncidents } from "./incident-metrics.ts";
import { IncidentReconciler } from "./incident-reconciler.ts";
import { controllingIncident } from "../../steps/job/job-owner.ts";
import { tenancyCheck } from "../tenancy-check.ts";
import { jobUpdateMatters, playbookUpdateMatters } from "./watch-filters.ts";
import { makeApiClient } from "../../runtime/kube-api-client.ts";
import { LifecycleAnnouncer } from "../lifecycle-events/lifecycle-announcer.ts";
import type { LifecycleEventSink } from "../lifecycle-events/lifecycle-event-sink.ts";

/** Name of the controller in metrics and logs. */
export const INCIDENT_CONTROLLER = "incident";

/** What the Incident controller is built from; everything is injected. */
export interface IncidentControllerOptions extends ControllerBaseOptions {
  readonly options: Pick<OperatorOptions, "dryRun" | "paused" | "criticalReservePercent" | "maxConcurrentReconciles" | "watchNamespaces" | "namespace" | "protectedNamespaces" | "protectedNodes" | "verifyTenancy">;
  /** Shared with intake's matcher and the Playbook controller. */
  readonly compiler: PlaybookCompiler;
  /** Test-only interruption points (crash safety tests); absent in production. */
  readonly hooks?: StepHooks;
  /** Replaces the Kubernetes Job client; defaults to one on `kubeConfig`. */
  readonly jobs?: JobClient;
  /** Which addresses connector calls may reach (built once per process, from its flags and what it found at start). */
  readonly destinations: DestinationPolicy;
  /** Keep-alive agents of connector calls; a private pool when absent. */
  readonly agents?: AgentPool;
  /** Replaces the clients of built-in actions; defaults to ones on `kubeConfig`. */
  readonly actionClients?: ActionClients;
  /** Where lifecycle CloudEvents are published (one per process, shared by its leadership terms); absent: none are. */
  readonly lifecycleEvents?: LifecycleEventSink | undefined;
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
 * that Playbook) and by tenancy policy bindings (the Incidents awaiting an approval), and the
 * {@link IncidentReconciler}.
 * Registers `soar_*` metrics (guard refusals included; lifecycle events when they are
 * published to `lifecycleEvents`) and the active-incidents gauge on `registry`. Action, connector and notify steps run with the guards of {@link guardPolicyOf};
 * connector calls reach only the addresses `destinations` allows and share keep-alive
 * connections, released when their Connector is deleted.
 */
export function createIncidentController(options: IncidentControllerOptions): ManagedController {
  const namespaces = options.options.watchNamespaces;
  const incidents = watchIncidents(options.informers, namespaces);
  const playbooks = watchPlaybooks(options.informers, namespaces);
  const jobs = watchStepJobs(options.informers, namespaces);
  const connectors = watchConnectors(options.informers, namespaces);
  const agents = options.agents ?? createAgentPool();
  const actionClients = options.actionClients ?? createActionClients(options.kubeConfig);
  const { logger, events, queue, managed } = controllerBase(INCIDENT_CONTROLLER, options);
  const metrics = incidentMetrics(options.registry);
  const tenancy = tenancyCheck(options.informers, options.options);

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
    criticalReservePercent: options.options.criticalReservePercent,
    hooks: options.hooks,
    calls: {
      actionClients,
      protectedNodes: options.options.protectedNodes,
      caller: createConnectorCaller({ clock: options.clock, logger, agents, destinations: options.destinations }),
      core: makeApiClient(options.kubeConfig, CoreV1Api),
      connector: (namespace, name) => connectors.get(namespace, name),
      connectorTenancy: (connector) => tenancy.connector(connector),
      logger,
    },
    guardPolicy: guardPolicyOf(options.options),
    guardMetrics: createGuardMetrics(options.registry),
    approvalsTenancy: (incident) => tenancy.approvals(incident),
    history: (namespace, playbook, incident) => playbookHistory(incidents.listByNamespace(namespace), playbook, incident),
    undo: { clients: actionClients, dryRun: options.options.dryRun, logger },
    announcer: options.lifecycleEvents === undefined ? undefined : new LifecycleAnnouncer(options.lifecycleEvents, options.registry),
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

  // A binding appearing, changing or going away changes why a waiting approval is not honoured.
  tenancy.onBindingChange(() => {
    for (const incident of incidents.list()) if (incident.status?.phase === "AwaitingApproval") queue.add(objectKey(incident));
  });

  // A deleted Connector's pooled connections are closed; a new one of the same name starts afresh.
  connectors.addEventHandler({ onDelete: (connector: Connector) => { agents.release(`${connector.metadata.namespace ?? ""}/${connector.metadata.name ?? ""}`); } });

  return managed({
    reconcile: (key, context) => reconciler.reconcile(key, context),
    caches: [incidents, playbooks, jobs, connectors, ...tenancy.caches],
    // Only the running controller's cache feeds the gauge; a stopped one (lost leadership) stops.
    whileRunning: () => trackActiveIncidents(options.registry, metrics, () => incidents.list()),
  });
}
