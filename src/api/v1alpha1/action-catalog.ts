/** Kinds of object an action may target. */
export const ACTION_TARGET_KINDS = ["Pod", "Node", "Deployment", "StatefulSet"] as const;

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

const ACTION_ROLE_PREFIX = "kube-soar-action-";

/**
 * The family of an action ClusterRole: its name without `kube-soar-action-` (`log-capture`),
 * which is also the role's `soar.kube-soar.io/action-family` label in config/rbac.
 */
export function actionFamilyOf(role: ActionRoleName): string {
  return role.slice(ACTION_ROLE_PREFIX.length);
}

/** The key of the chart's `rbac.actions` that renders a family's role: the family in camelCase (`logCapture`). */
export function actionFamilyToggle(family: string): string {
  return family.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** One right on the API as RBAC states it: a verb on a resource (or subresource) of a group. */
export interface ApiRight {
  readonly verb: string;
  /** `""` for the core group. */
  readonly group: string;
  readonly resource: string;
  /** `""` for the resource itself. */
  readonly subresource: string;
  /** Whether RBAC grants it in a namespace (the target's) or cluster-wide (Nodes). */
  readonly scope: "namespace" | "cluster";
}

const inNamespace = (verb: string, group: string, resource: string, subresource = ""): ApiRight => ({ verb, group, resource, subresource, scope: "namespace" });
const patchNodes: ApiRight = { verb: "patch", group: "", resource: "nodes", subresource: "", scope: "cluster" };

/** What kube-soar promises about one built-in action, whatever its implementation. */
export interface ActionFacts {
  /** What the action does, as a phrase for the API documentation. */
  readonly summary: string;
  /** Target kinds the action accepts; the first is the default unless the Incident's workload fits. */
  readonly targetKinds: readonly (typeof ACTION_TARGET_KINDS)[number][];
  /** Whether the action records how to undo it, and resolving an Incident with revert undoes it. */
  readonly reversible: boolean;
  /**
   * Whether the action destroys or reduces capacity, or may take a service down; the default
   * approval policy requires an approved approval step before exactly these actions.
   */
  readonly destructive: boolean;
  /** The ClusterRole the operator's ServiceAccount needs for the action. */
  readonly role: ActionRoleName;
  /**
   * The rights the action uses on a target of each kind it accepts: what the writer of a
   * Playbook taking it must hold, in the Playbook's namespace or cluster-wide (checked by the
   * `kube-soar-playbook-jobs` admission policy), so the operator never acts beyond its writer.
   */
  readonly writerRights: { readonly [Kind in (typeof ACTION_TARGET_KINDS)[number]]?: readonly ApiRight[] };
}

/**
 * The built-in actions a Playbook step may take, in the order the API lists them: the one home
 * of their names and facts. The schema's enumeration, descriptions and validation rule, the
 * default approval policy, target defaults and the Forbidden message are all derived from it;
 * the implementations in `src/actions/` are checked against it by type.
 */
export const ACTION_CATALOG = {
  isolatePod: {
    summary: "deny all traffic of a Pod with a NetworkPolicy",
    targetKinds: ["Pod"],
    reversible: true,
    destructive: false,
    role: ActionRole.Isolation,
    writerRights: { Pod: [inNamespace("create", "networking.k8s.io", "networkpolicies"), inNamespace("patch", "", "pods")] },
  },
  label: {
    summary: "set labels on a Pod or Node",
    targetKinds: ["Pod", "Node"],
    reversible: true,
    destructive: false,
    role: ActionRole.Labeling,
    writerRights: { Pod: [inNamespace("patch", "", "pods")], Node: [patchNodes] },
  },
  annotate: {
    summary: "set annotations on a Pod or Node",
    targetKinds: ["Pod", "Node"],
    reversible: true,
    destructive: false,
    role: ActionRole.Labeling,
    writerRights: { Pod: [inNamespace("patch", "", "pods")], Node: [patchNodes] },
  },
  deletePod: {
    summary: "delete a Pod",
    targetKinds: ["Pod"],
    reversible: false,
    destructive: true,
    role: ActionRole.PodDeletion,
    writerRights: { Pod: [inNamespace("delete", "", "pods")] },
  },
  evictPod: {
    summary: "evict a Pod through the Eviction API, respecting PodDisruptionBudgets",
    targetKinds: ["Pod"],
    reversible: false,
    destructive: true,
    role: ActionRole.PodDeletion,
    writerRights: { Pod: [inNamespace("create", "", "pods", "eviction")] },
  },
  cordonNode: {
    summary: "mark a Node unschedulable",
    targetKinds: ["Node"],
    reversible: true,
    destructive: false,
    role: ActionRole.NodeCordon,
    writerRights: { Node: [patchNodes] },
  },
  uncordonNode: {
    summary: "mark a Node schedulable again",
    targetKinds: ["Node"],
    reversible: true,
    destructive: false,
    role: ActionRole.NodeCordon,
    writerRights: { Node: [patchNodes] },
  },
  scaleWorkload: {
    summary: "set the replicas of a Deployment or StatefulSet",
    targetKinds: ["Deployment", "StatefulSet"],
    reversible: true,
    destructive: true,
    role: ActionRole.Scaling,
    writerRights: { Deployment: [inNamespace("patch", "apps", "deployments", "scale")], StatefulSet: [inNamespace("patch", "apps", "statefulsets", "scale")] },
  },
  captureLogs: {
    summary: "copy the tail of a container's log into the step outputs",
    targetKinds: ["Pod"],
    reversible: false,
    destructive: false,
    role: ActionRole.LogCapture,
    writerRights: { Pod: [inNamespace("get", "", "pods", "log")] },
  },
} as const satisfies Record<string, ActionFacts>;

type CatalogAction = keyof typeof ACTION_CATALOG;

/** Built-in Kubernetes actions a Playbook step may take, in catalog order. */
export const ACTION_TYPES = Object.keys(ACTION_CATALOG) as readonly CatalogAction[];

/** The actions whose catalog row says `reversible: true`: exactly those with an undo record. */
export type ReversibleActionType = {
  [A in CatalogAction]: (typeof ACTION_CATALOG)[A]["reversible"] extends true ? A : never;
}[CatalogAction];

/** A table with one entry per action, computed from its catalog row; keys in catalog order. */
export function byAction<T>(entry: (facts: ActionFacts, action: CatalogAction) => T): Readonly<Record<CatalogAction, T>> {
  return Object.fromEntries(ACTION_TYPES.map((action) => [action, entry(ACTION_CATALOG[action], action)])) as Record<CatalogAction, T>;
}

/** The actions whose catalog row satisfies `test`, in catalog order. */
export function actionsWhere(test: (facts: ActionFacts) => boolean): CatalogAction[] {
  return ACTION_TYPES.filter((action) => test(ACTION_CATALOG[action]));
}
