import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job, type V1Pod } from "@kubernetes/client-node";
import { isConflict, isNotFound } from "../../runtime/errors.ts";
import type { JobManifest } from "./job-manifest.ts";
import { makeApiClient } from "../../runtime/kube-api-client.ts";

/** Label the Job controller puts on the Pods of a Job. */
export const JOB_NAME_POD_LABEL = "batch.kubernetes.io/job-name";

/** The outcome of asking for a Job by its deterministic name. */
export type EnsureJobResult =
  | { readonly kind: "created"; readonly job: V1Job }
  /** A Job of that name was already there (created by an earlier attempt of this reconcile). */
  | { readonly kind: "exists"; readonly job: V1Job };

/** The Kubernetes calls the Job executor makes. Errors are client-node `ApiException`s. */
export interface JobClient {
  /** Creates the Job, or returns the one that already has its name. */
  ensure(manifest: JobManifest): Promise<EnsureJobResult>;
  /** Reads a Job; undefined when it does not exist. */
  get(namespace: string, name: string): Promise<V1Job | undefined>;
  /** The Pods the Job controller created for the Job. */
  pods(namespace: string, jobName: string): Promise<V1Pod[]>;
}

/** A {@link JobClient} on the API server of `kubeConfig`. */
export function createJobClient(kubeConfig: KubeConfig): JobClient {
  const batch = makeApiClient(kubeConfig, BatchV1Api);
  const core = makeApiClient(kubeConfig, CoreV1Api);
  const get = async (namespace: string, name: string): Promise<V1Job | undefined> => {
    try {
      return await batch.readNamespacedJob({ namespace, name });
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  return {
    async ensure(manifest) {
      const namespace = manifest.metadata?.namespace ?? "";
      const name = manifest.metadata?.name ?? "";
      try {
        return { kind: "created", job: await batch.createNamespacedJob({ namespace, body: manifest }) };
      } catch (error: unknown) {
        if (!isConflict(error)) throw error;
        const existing = await get(namespace, name);
        // Deleted between the conflict and the read: report the conflict; the next reconcile retries.
        if (existing === undefined) throw error;
        return { kind: "exists", job: existing };
      }
    },
    get,
    async pods(namespace, jobName) {
      const list = await core.listNamespacedPod({ namespace, labelSelector: `${JOB_NAME_POD_LABEL}=${jobName}` });
      return list.items;
    },
  };
}
