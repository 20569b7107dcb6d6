import type { KubeConfig, V1Job } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { Kind, Plural } from "../../api/v1alpha1/constants.ts";
import type { Incident, Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../config/options.ts";
import { createJobClient, type JobClient } from "../../executors/job/job-client.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import type { RuntimeClock } from "../../runtime/clock.ts";
import { Controller } from "../../runtime/controller.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import type { InformerFactory } from "../../runtime/informer-factory.ts";
import { objectKey, splitObjectKey } from "../../runtime/object-key.ts";
import { WorkQueue } from "../../runtime/work-queue.ts";
import { watchIncidents, watchPlaybooks, watchStepJobs } from "../collections.ts";
import { createEventRecorder, type EventRecorder } from "../event-recorder.ts";
import { managedController, type ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import type { StepHooks } from "./execute.ts";
import { incidentMetrics, trackActiveIncidents } from "./incident-metrics.ts";
import { IncidentReconciler } from "./incident-reconciler.ts";

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
  readonly options: Pick<OperatorOptions, "dryRun" | "paused" | "maxConcurrentReconciles" | "watchNamespaces">;
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
}

const finishedRunPhases: ReadonlySet<string> = new Set(["Succeeded", "Failed", "Skipped"]);

/** Whether a change to Playbook `name` may matter to this Incident: a run of it is not finished. */
function waitsOn(incident: Incident, name: string): boolean {
  const state = incident.spec.state ?? "Open";
  if (state === "Resolved" || state === "Closed") return false;
  if (!(incident.spec.playbooks ?? []).includes(name)) return false;
  const run = incident.status?.playbooks?.find((candidate) => candidate.name === name);
  return run === undefined || !finishedRunPhases.has(run.phase);
}

/** The key of the Incident that controls a Job, if any. */
function ownerKey(job: V1Job): string[] {
  const owner = job.metadata?.ownerReferences?.find((reference) => reference.kind === Kind.Incident && reference.controller === true);
  const namespace = job.metadata?.namespace;
  return owner === undefined || namespace === undefined ? [] : [`${namespace}/${owner.name}`];
}

/**
 * The Incident controller: caches of Incidents, Playbooks and step Jobs (label
 * `soar.kube-soar.io/incident`), a keyed work queue fed by Incident changes, by Job changes
 * (mapped to their controlling Incident by ownerReference) and by Playbook changes (mapped to
 * the open Incidents that run or wait for that Playbook), and the {@link IncidentReconciler}.
 * Registers `soar_*` metrics and the active-incidents gauge on `registry`.
 */
export function createIncidentController(options: IncidentControllerOptions): ManagedController {
  const namespaces = options.options.watchNamespaces;
  const incidents = watchIncidents(options.informers, namespaces);
  const playbooks = watchPlaybooks(options.informers, namespaces);
  const jobs = watchStepJobs(options.informers, namespaces);
  const logger = options.logger.child({ controller: INCIDENT_CONTROLLER });
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
    events: options.events ?? createEventRecorder({ kubeConfig: options.kubeConfig, clock: options.clock, logger, instance: options.identity }),
    compiler: options.compiler,
    metrics,
    clock: options.clock,
    dryRun: options.options.dryRun,
    paused: options.options.paused,
    hooks: options.hooks,
  });

  incidents.addEventHandler(enqueueKeys<Incident>(queue));
  jobs.addEventHandler(enqueueKeys<V1Job>(queue, ownerKey));
  playbooks.addEventHandler(
    enqueueKeys<Playbook>(queue, (playbook) => {
      const namespace = playbook.metadata.namespace ?? "";
      const name = playbook.metadata.name ?? "";
      return incidents.listByNamespace(namespace).filter((incident) => waitsOn(incident, name)).map((incident) => objectKey(incident));
    }),
  );

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
    controller,
    caches: [incidents, playbooks, jobs],
    logger,
    // Only the running controller's cache feeds the gauge; a stopped one (lost leadership) stops.
    whileRunning: () => trackActiveIncidents(options.registry, metrics, () => incidents.list()),
  });
}
