import type { KubeConfig } from "@kubernetes/client-node";
import { GROUP, VERSION } from "../api/v1alpha1/constants.ts";
import { Reason } from "../api/v1alpha1/reasons.ts";
import { isConflict, isNotFound, TransientError } from "../runtime/errors.ts";
import { jsonClientFor } from "../runtime/kube-api-client.ts";

/** A kube-soar object whose status a reconciler writes. */
export interface StatusOwner<S> {
  metadata: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  status?: S;
}

/**
 * Writes an object's status through the status subresource, guarded by the object's
 * resourceVersion. Resolves with the object as stored, or undefined when the object no longer
 * exists. A 409 (someone wrote in between) becomes a TransientError with reason
 * `StatusConflict`, so the reconcile runs again on fresh data; other errors propagate.
 */
export type StatusWriter = <S, T extends StatusOwner<S>>(object: T) => Promise<T | undefined>;

/** A {@link StatusWriter} for the kind with resource name `plural` of kube-soar's API group. */
export function createStatusWriter(kubeConfig: KubeConfig, plural: string): StatusWriter {
  const client = jsonClientFor(kubeConfig);
  return async <S, T extends StatusOwner<S>>(object: T): Promise<T | undefined> => {
    const name = object.metadata.name ?? "";
    const namespace = object.metadata.namespace ?? "";
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}/status`;
    try {
      const stored: unknown = await client.request("PUT", path, object);
      // The API answers with the stored object of the same kind.
      return stored as T;
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      if (isConflict(error)) {
        throw new TransientError(Reason.StatusConflict, `status of ${plural} ${namespace}/${name} changed since it was read`, { cause: error });
      }
      throw error;
    }
  };
}
