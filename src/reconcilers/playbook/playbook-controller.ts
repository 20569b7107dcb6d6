import type { V1ServiceAccount } from "@kubernetes/client-node";
import { Plural } from "../../api/v1alpha1/constants.ts";
import type { Connector, Incident, Playbook } from "../../api/v1alpha1/types.generated.ts";
import { EXECUTABLE_STEP_KINDS } from "../../steps/step-kinds.ts";
import type { PlaybookCompiler, PlaybookReference, StepKind } from "../../playbook/index.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import { objectKey } from "../../runtime/object-key.ts";
import { watchConnectors, watchIncidents, watchPlaybooks, watchServiceAccounts } from "../collections.ts";
import { controllerBase, type ControllerBaseOptions } from "../controller-base.ts";
import type { ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import type { WatchedCollection } from "../watched-collection.ts";
import { tenancyCheck } from "../tenancy-check.ts";
import { PlaybookReconciler } from "./playbook-reconciler.ts";

/** Name of the controller in metrics and logs. */
export const PLAYBOOK_CONTROLLER = "playbook";

/** What the Playbook controller is built from; everything is injected. */
export interface PlaybookControllerOptions extends ControllerBaseOptions {
  /** Shared with intake's matcher and the Incident controller. */
  readonly compiler: PlaybookCompiler;
  /** Step kinds that can run; defaults to the kinds this version executes. */
  readonly stepKinds?: ReadonlySet<StepKind>;
}

/** Keys of the Playbooks of `namespace` that reference `name` through `refs`. */
function referencing(
  playbooks: WatchedCollection<Playbook>,
  compiler: PlaybookCompiler,
  namespace: string,
  name: string,
  refs: (compiled: ReturnType<PlaybookCompiler["compile"]>) => readonly PlaybookReference[],
): string[] {
  return playbooks
    .listByNamespace(namespace)
    .filter((playbook) => refs(compiler.compile(playbook)).some((ref) => ref.name === name))
    .map((playbook) => objectKey(playbook));
}

/** Longest delay before a Playbook's `activeIncidents` and `lastTriggeredAt` follow its Incidents. */
export const PLAYBOOK_ACTIVITY_REFRESH_MS = 5_000;

/**
 * The Playbook controller: caches of Playbooks, Connectors and ServiceAccounts, a keyed work
 * queue fed by Playbook changes and by Connector and ServiceAccount changes (mapped to the
 * Playbooks of their namespace that reference them, so creating a missing one flips Ready)
 * and by tenancy policy bindings (every Playbook, whose Job steps they vouch for), and the
 * {@link PlaybookReconciler}.
 */
export function createPlaybookController(options: PlaybookControllerOptions): ManagedController {
  const namespaces = options.options.watchNamespaces;
  const playbooks = watchPlaybooks(options.informers, namespaces);
  const connectors = watchConnectors(options.informers, namespaces);
  const serviceAccounts = watchServiceAccounts(options.informers, namespaces);
  const incidents = watchIncidents(options.informers, namespaces);
  const { events, queue, managed } = controllerBase(PLAYBOOK_CONTROLLER, options);
  const { compiler } = options;
  const tenancy = tenancyCheck(options.informers, options.options);

  const reconciler = new PlaybookReconciler({
    playbook: (namespace, name) => playbooks.get(namespace, name),
    connectorExists: (namespace, name) => connectors.get(namespace, name) !== undefined,
    serviceAccountExists: (namespace, name) => serviceAccounts.get(namespace, name) !== undefined,
    tenancy: (playbook) => tenancy.playbook(playbook),
    compiler,
    stepKinds: options.stepKinds ?? EXECUTABLE_STEP_KINDS,
    writeStatus: createStatusWriter(options.kubeConfig, Plural.Playbook),
    events,
    clock: options.clock,
    incidents: (namespace) => incidents.listByNamespace(namespace),
    activityRefreshMs: PLAYBOOK_ACTIVITY_REFRESH_MS,
  });

  playbooks.addEventHandler(enqueueKeys<Playbook>(queue));
  // Incidents change many times a second under load: their Playbooks are looked at again within
  // PLAYBOOK_ACTIVITY_REFRESH_MS (a key already waiting is not added again), and the reconciler
  // writes an activity-only change at most that often.
  incidents.addEventHandler(
    enqueueKeys<Incident>(
      { add: (key) => { queue.addAfter(key, PLAYBOOK_ACTIVITY_REFRESH_MS); } },
      (incident) => (incident.spec.playbooks ?? []).map((playbook) => `${incident.metadata.namespace ?? ""}/${playbook}`),
    ),
  );
  connectors.addEventHandler(
    enqueueKeys<Connector>(queue, (connector) =>
      referencing(playbooks, compiler, connector.metadata.namespace ?? "", connector.metadata.name ?? "", (compiled) => compiled.connectorRefs),
    ),
  );
  serviceAccounts.addEventHandler(
    enqueueKeys<V1ServiceAccount>(queue, (account) =>
      referencing(playbooks, compiler, account.metadata?.namespace ?? "", account.metadata?.name ?? "", (compiled) => compiled.serviceAccountRefs),
    ),
  );

  // A binding appearing, changing or going away changes the verdict of every tenant Playbook.
  tenancy.onBindingChange(() => {
    for (const playbook of playbooks.list()) queue.add(objectKey(playbook));
  });

  return managed({
    reconcile: (key, context) => reconciler.reconcile(key, context),
    caches: [playbooks, connectors, serviceAccounts, incidents, ...tenancy.caches],
  });
}
