import type { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import type { EventHandler, SharedInformer } from "../../src/runtime/informer.ts";
import { InformerFactory } from "../../src/runtime/informer-factory.ts";
import type { KubeObject } from "../../src/runtime/kube-object.ts";
import { KubeHttpClient } from "../../src/runtime/kube-http.ts";
import { waitFor } from "../harness/wait-for.ts";

/** A collection of one namespace to watch, e.g. `/apis/batch/v1` and `jobs`. */
export interface NamespaceWatchRequest<T> {
  kubeConfig: KubeConfig;
  /** API group path, `/api/v1` or `/apis/<group>/<version>`. */
  groupPath: string;
  /** Plural resource name. */
  resource: string;
  namespace: string;
  handler: EventHandler<T>;
  /** Deadline for the first complete list; default 30 s. */
  syncTimeoutMs?: number;
}

/** A running watch of one namespaced collection with a cache of it. */
export interface NamespaceWatch<T extends KubeObject> {
  readonly informer: SharedInformer<T>;
  /** Stops watching and resolves once the informer stopped. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Watches one collection of one namespace with the operator's own informer (restarts on errors,
 * relists, drops managedFields), calls `handler` on changes as they arrive, and resolves once
 * the first complete list is cached. Its logs are discarded.
 */
export async function watchNamespace<T extends KubeObject>(request: NamespaceWatchRequest<T>): Promise<NamespaceWatch<T>> {
  const informers = new InformerFactory({
    client: new KubeHttpClient(request.kubeConfig),
    clock: systemRuntimeClock,
    logger: pino({ level: "silent" }),
  });
  const informer = informers.informerFor<T>({
    path: `${request.groupPath}/namespaces/${request.namespace}/${request.resource}`,
    resource: request.resource,
  });
  informer.addEventHandler(request.handler);
  const abort = new AbortController();
  informers.start(abort.signal);
  const stop = async (): Promise<void> => {
    abort.abort();
    await informers.stopped();
  };
  try {
    await waitFor(() => informer.hasSynced(), {
      timeoutMs: request.syncTimeoutMs ?? 30_000,
      intervalMs: 50,
      description: `the ${request.resource} of namespace ${request.namespace} to be listed`,
    });
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  return { informer, stop };
}
