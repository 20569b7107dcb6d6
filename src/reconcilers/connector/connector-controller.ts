import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { Plural } from "../../api/v1alpha1/constants.ts";
import type { Connector } from "../../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../config/options.ts";
import type { AgentPool } from "../../connectors/index.ts";
import type { RuntimeClock } from "../../runtime/clock.ts";
import { Controller } from "../../runtime/controller.ts";
import { makeApiClient } from "../../runtime/kube-api-client.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import type { InformerFactory } from "../../runtime/informer-factory.ts";
import { WorkQueue } from "../../runtime/work-queue.ts";
import { createEventRecorder, type EventRecorder } from "../event-recorder.ts";
import { managedController, type ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import { watchConnectors, watchSecretMetadata } from "../collections.ts";
import { ConnectorReconciler } from "./connector-reconciler.ts";
import { connectorsReferencingSecret } from "./secret-references.ts";

/** Name of the controller in metrics and logs. */
export const CONNECTOR_CONTROLLER = "connector";

/** What the Connector controller is built from; everything is injected. */
export interface ConnectorControllerOptions {
  readonly kubeConfig: KubeConfig;
  /** Shared informer factory; its owner starts it. */
  readonly informers: InformerFactory;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly clock: RuntimeClock;
  readonly options: Pick<OperatorOptions, "maxConcurrentReconciles" | "watchNamespaces">;
  /** The operator's identity, recorded as the Events' reporting instance. */
  readonly identity: string;
  /** The keep-alive agents of connector calls; a deleted Connector's agent is released. */
  readonly agents?: AgentPool;
  /** Replaces the Event recorder; defaults to core/v1 Events on `kubeConfig`. */
  readonly events?: EventRecorder;
}

/**
 * The Connector controller: a cache of Connectors and one of Secrets' metadata only (no Secret
 * value is cached), a keyed work queue fed by Connector changes and by Secret changes (mapped
 * to the Connectors of their namespace that reference them, so creating a missing Secret or key
 * flips Ready), and the {@link ConnectorReconciler}, which reads a referenced Secret by name
 * when it reconciles. Deleting a Connector releases its pooled connections.
 */
export function createConnectorController(options: ConnectorControllerOptions): ManagedController {
  const namespaces = options.options.watchNamespaces;
  const connectors = watchConnectors(options.informers, namespaces);
  const secrets = watchSecretMetadata(options.informers, namespaces);
  const logger = options.logger.child({ controller: CONNECTOR_CONTROLLER });
  const events = options.events ?? createEventRecorder({ kubeConfig: options.kubeConfig, clock: options.clock, logger, instance: options.identity });
  const queue = new WorkQueue({ name: CONNECTOR_CONTROLLER, registry: options.registry, clock: options.clock });

  const reconciler = new ConnectorReconciler({
    connector: (namespace, name) => connectors.get(namespace, name),
    core: makeApiClient(options.kubeConfig, CoreV1Api),
    writeStatus: createStatusWriter(options.kubeConfig, Plural.Connector),
    events,
    clock: options.clock,
    released: (key) => options.agents?.release(key),
  });

  connectors.addEventHandler(enqueueKeys<Connector>(queue));
  secrets.addEventHandler(
    enqueueKeys(queue, (secret) => {
      const namespace = secret.metadata.namespace ?? "";
      return connectorsReferencingSecret(connectors.listByNamespace(namespace), namespace, secret.metadata.name ?? "");
    }),
  );

  const controller = new Controller({
    name: CONNECTOR_CONTROLLER,
    queue,
    reconcile: (key, context) => reconciler.reconcile(key, context),
    maxConcurrentReconciles: options.options.maxConcurrentReconciles,
    registry: options.registry,
    logger,
    clock: options.clock,
  });
  return managedController({ controller, caches: [connectors, secrets], logger, drain: () => events.drain() });
}
