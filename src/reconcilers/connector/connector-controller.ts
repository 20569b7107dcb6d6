import { CoreV1Api } from "@kubernetes/client-node";
import { Plural } from "../../api/v1alpha1/constants.ts";
import type { Connector } from "../../api/v1alpha1/types.generated.ts";
import type { AgentPool } from "../../connectors/index.ts";
import { makeApiClient } from "../../runtime/kube-api-client.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import { controllerBase, type ControllerBaseOptions } from "../controller-base.ts";
import type { ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import { watchConnectors, watchSecretMetadata } from "../collections.ts";
import { objectKey } from "../../runtime/object-key.ts";
import { tenancyCheck } from "../tenancy-check.ts";
import { ConnectorReconciler } from "./connector-reconciler.ts";
import { connectorsReferencingSecret } from "./secret-references.ts";

/** Name of the controller in metrics and logs. */
export const CONNECTOR_CONTROLLER = "connector";

/** What the Connector controller is built from; everything is injected. */
export interface ConnectorControllerOptions extends ControllerBaseOptions {
  /** The keep-alive agents of connector calls; a deleted Connector's agent is released. */
  readonly agents?: AgentPool;
}

/**
 * The Connector controller: a cache of Connectors and one of Secrets' metadata only (no Secret
 * value is cached), a keyed work queue fed by Connector changes and by Secret changes (mapped
 * to the Connectors of their namespace that reference them, so creating a missing Secret or key
 * flips Ready) and by tenancy policy bindings (every Connector), and the {@link ConnectorReconciler}, which reads a referenced Secret by name
 * when it reconciles. Deleting a Connector releases its pooled connections.
 */
export function createConnectorController(options: ConnectorControllerOptions): ManagedController {
  const namespaces = options.options.watchNamespaces;
  const connectors = watchConnectors(options.informers, namespaces);
  const secrets = watchSecretMetadata(options.informers, namespaces);
  const { events, queue, managed } = controllerBase(CONNECTOR_CONTROLLER, options);
  const tenancy = tenancyCheck(options.informers, options.options);

  const reconciler = new ConnectorReconciler({
    connector: (namespace, name) => connectors.get(namespace, name),
    tenancy: (connector) => tenancy.connector(connector),
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

  // A binding appearing, changing or going away changes the verdict of every tenant Connector.
  tenancy.onBindingChange(() => {
    for (const connector of connectors.list()) queue.add(objectKey(connector));
  });

  return managed({ reconcile: (key, context) => reconciler.reconcile(key, context), caches: [connectors, secrets, ...tenancy.caches] });
}
