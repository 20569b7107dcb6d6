import type { KubeConfig } from "@kubernetes/client-node";
import { GROUP, VERSION } from "../api/v1alpha1/constants.ts";
import { Reason } from "../api/v1alpha1/reasons.ts";
import { isConflict, isNotFound, TransientError } from "../runtime/errors.ts";
import { jsonClientFor } from "../runtime/kube-api-client.ts";
import { PatchType } from "../runtime/kube-json-client.ts";
import type { StatusOwner } from "./status-writer.ts";

/**
 * Changes labels of an object (key → value, or null to remove; other labels untouched) with a
 * merge patch guarded by the object's resourceVersion. Resolves with the object as stored, or
 * undefined when it no longer exists. A 409 (someone wrote in between) becomes a TransientError
 * with reason `LabelConflict`, so the reconcile runs again on fresh data; other errors propagate.
 */
export type LabelWriter = <T extends StatusOwner<unknown>>(object: T, labels: Readonly<Record<string, string | null>>) => Promise<T | undefined>;

/** A {@link LabelWriter} for the kind with resource name `plural` of kube-soar's API group. */
export function createLabelWriter(kubeConfig: KubeConfig, plural: string): LabelWriter {
  const client = jsonClientFor(kubeConfig);
  return async <T extends StatusOwner<unknown>>(object: T, labels: Readonly<Record<string, string | null>>): Promise<T | undefined> => {
    const name = object.metadata.name ?? "";
    const namespace = object.metadata.namespace ?? "";
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}`;
    const patch = { metadata: { resourceVersion: object.metadata.resourceVersion, labels } };
    try {
      // The API answers with the stored object of the same kind.
      return (await client.request("PATCH", path, patch, PatchType.MergePatch)) as T;
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      if (isConflict(error)) {
        throw new TransientError(Reason.LabelConflict, `labels of ${plural} ${namespace}/${name} changed since they were read`, { cause: error });
      }
      throw error;
    }
  };
}
