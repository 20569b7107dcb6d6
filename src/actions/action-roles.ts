import type { ActionType } from "./action-contract.ts";

/**
 * Names of the ClusterRoles in `config/rbac/`, one per action family. A cluster binds to the
 * operator's ServiceAccount only the families its Playbooks use.
 */
export const ActionRole = {
  /** isolatePod: NetworkPolicies and the quarantine label on Pods. */
  Isolation: "kube-soar-action-isolation",
  /** label and annotate on Pods and Nodes. */
  Labeling: "kube-soar-action-labeling",
  /** deletePod and evictPod, with read access to the owning workloads. */
  PodDeletion: "kube-soar-action-pod-deletion",
  /** cordonNode and uncordonNode. */
  NodeCordon: "kube-soar-action-node-cordon",
  /** scaleWorkload, through the scale subresource of Deployments and StatefulSets. */
  Scaling: "kube-soar-action-scaling",
  /** captureLogs. */
  LogCapture: "kube-soar-action-log-capture",
} as const;

/** The name of one of the action ClusterRoles. */
export type ActionRoleName = (typeof ActionRole)[keyof typeof ActionRole];

/** Which ClusterRole each action needs; the Forbidden failure of an action names it. */
export const roleOfAction: Readonly<Record<ActionType, ActionRoleName>> = {
  isolatePod: ActionRole.Isolation,
  label: ActionRole.Labeling,
  annotate: ActionRole.Labeling,
  deletePod: ActionRole.PodDeletion,
  evictPod: ActionRole.PodDeletion,
  cordonNode: ActionRole.NodeCordon,
  uncordonNode: ActionRole.NodeCordon,
  scaleWorkload: ActionRole.Scaling,
  captureLogs: ActionRole.LogCapture,
};
