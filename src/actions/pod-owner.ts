import type { V1OwnerReference, V1Pod } from "@kubernetes/client-node";
import type { ActionClients } from "./action-contract.ts";
import type { WorkloadHealth } from "./min-healthy.ts";

/** The controller of a Pod, resolved up to the workload people manage. */
export type PodOwner =
  | { readonly kind: "standalone" }
  /** A workload with replica counts (Deployment, ReplicaSet, StatefulSet, DaemonSet). */
  | { readonly kind: "workload"; readonly workloadKind: string; readonly health: WorkloadHealth }
  /** Another controller (a Job, a custom resource): no replica counts to protect. */
  | { readonly kind: "other"; readonly workload: string };

function controllerOf(references: readonly V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return references?.find((reference) => reference.controller === true);
}

function health(workload: string, desired: number | undefined, ready: number | undefined): WorkloadHealth {
  return { workload, desired: desired ?? 1, ready: ready ?? 0 };
}

/**
 * Finds the workload that controls `pod` and reads its replica counts: a ReplicaSet owned by a
 * Deployment resolves to the Deployment. API errors propagate (the caller names the call).
 */
export async function resolvePodOwner(clients: ActionClients, pod: V1Pod): Promise<PodOwner> {
  const namespace = pod.metadata?.namespace ?? "";
  const owner = controllerOf(pod.metadata?.ownerReferences);
  if (owner === undefined) return { kind: "standalone" };
  const group = owner.apiVersion.split("/")[0];
  if (group !== "apps") return { kind: "other", workload: `${owner.kind}/${owner.name}` };
  switch (owner.kind) {
    case "ReplicaSet": {
      const replicaSet = await clients.apps.readNamespacedReplicaSet({ name: owner.name, namespace });
      const deployment = controllerOf(replicaSet.metadata?.ownerReferences);
      if (deployment?.kind === "Deployment" && deployment.apiVersion.startsWith("apps/")) {
        const object = await clients.apps.readNamespacedDeployment({ name: deployment.name, namespace });
        return { kind: "workload", workloadKind: "Deployment", health: health(`Deployment/${deployment.name}`, object.spec?.replicas, object.status?.readyReplicas) };
      }
      return { kind: "workload", workloadKind: "ReplicaSet", health: health(`ReplicaSet/${owner.name}`, replicaSet.spec?.replicas, replicaSet.status?.readyReplicas) };
    }
    case "StatefulSet": {
      const object = await clients.apps.readNamespacedStatefulSet({ name: owner.name, namespace });
      return { kind: "workload", workloadKind: "StatefulSet", health: health(`StatefulSet/${owner.name}`, object.spec?.replicas, object.status?.readyReplicas) };
    }
    case "DaemonSet": {
      const object = await clients.apps.readNamespacedDaemonSet({ name: owner.name, namespace });
      return {
        kind: "workload",
        workloadKind: "DaemonSet",
        health: health(`DaemonSet/${owner.name}`, object.status?.desiredNumberScheduled, object.status?.numberReady),
      };
    }
    default:
      return { kind: "other", workload: `${owner.kind}/${owner.name}` };
  }
}

/** True when the Pod's Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") === true;
}
