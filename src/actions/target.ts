import { ACTION_TARGET_KINDS, byAction, type ActionTargetKind, type ActionType } from "../api/v1alpha1/index.ts";
import { isDnsLabel, isDnsSubdomain, parseWorkloadRef, type WorkloadRef } from "../api/v1alpha1/kube-names.ts";
import type { AffectedResources } from "../api/v1alpha1/types.generated.ts";
import type { ResolvedTarget } from "./action-contract.ts";
import { actionFailure, type ActionFailure } from "./action-outcome.ts";
import { quotedValue } from "./quoted-value.ts";

/** Target kinds each action accepts, from its catalog row; the first is the default unless the Incident's workload fits. */
export const targetKindsOfAction: Readonly<Record<ActionType, readonly ActionTargetKind[]>> = byAction((facts) => facts.targetKinds);

/** A step's `target` after template rendering; absent fields default from the Incident. */
export interface TargetInput {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

function isTargetKind(kind: string): kind is ActionTargetKind {
  return (ACTION_TARGET_KINDS as readonly string[]).includes(kind);
}

/** `resources.workload` split into its API Kind and name; undefined when absent or not `<Kind>/<name>`. */
function affectedWorkload(resources: AffectedResources): WorkloadRef | undefined {
  return resources.workload === undefined ? undefined : parseWorkloadRef(resources.workload);
}

function defaultKind(action: ActionType, resources: AffectedResources): ActionTargetKind {
  const kinds = targetKindsOfAction[action];
  const workloadKind = affectedWorkload(resources)?.kind;
  if (workloadKind !== undefined && isTargetKind(workloadKind) && kinds.includes(workloadKind)) return workloadKind;
  return kinds[0] ?? "Pod";
}

function defaultName(kind: ActionTargetKind, resources: AffectedResources): string | undefined {
  switch (kind) {
    case "Pod":
      return resources.pod;
    case "Node":
      return resources.node;
    case "Deployment":
    case "StatefulSet": {
      const workload = affectedWorkload(resources);
      return workload?.kind === kind ? workload.name : undefined;
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The object an action applies to: the step's rendered `target`, with kind, namespace and name
 * defaulting to the Incident's affected resources. Fails with `InvalidTarget`, naming the
 * field, when the kind does not fit the action, a name is missing or is not a valid object
 * name (rendered templates carry alert data, so nothing here is trusted), or a Node is given
 * a namespace.
 */
export function resolveActionTarget(
  action: ActionType,
  target: TargetInput | undefined,
  resources: AffectedResources = {},
): { ok: true; target: ResolvedTarget } | ActionFailure {
  const requestedKind = nonEmpty(target?.kind);
  const allowed = targetKindsOfAction[action];
  if (requestedKind !== undefined && !(isTargetKind(requestedKind) && allowed.includes(requestedKind))) {
    return actionFailure("InvalidTarget", `${action}: target.kind: must be one of ${allowed.join(", ")}, got ${quotedValue(requestedKind)}`);
  }
  const kind = requestedKind ?? defaultKind(action, resources);
  const name = nonEmpty(target?.name) ?? defaultName(kind, resources);
  if (name === undefined) {
    return actionFailure("InvalidTarget", `${action}: target.name: required, and the Incident names no affected ${kind}`);
  }
  if (!isDnsSubdomain(name)) {
    return actionFailure("InvalidTarget", `${action}: target.name: not a valid ${kind} name: ${quotedValue(name)}`);
  }
  if (kind === "Node") {
    if (nonEmpty(target?.namespace) !== undefined) {
      return actionFailure("InvalidTarget", `${action}: target.namespace: a Node is cluster-scoped and takes no namespace`);
    }
    return { ok: true, target: { kind, name } };
  }
  const namespace = nonEmpty(target?.namespace) ?? nonEmpty(resources.namespace);
  if (namespace === undefined) {
    return actionFailure("InvalidTarget", `${action}: target.namespace: required, and the Incident names no affected namespace`);
  }
  if (!isDnsLabel(namespace)) {
    return actionFailure("InvalidTarget", `${action}: target.namespace: not a valid namespace name: ${quotedValue(namespace)}`);
  }
  return { ok: true, target: { kind, namespace, name } };
}

/** `namespace/name` or `name` of a resolved target, for messages and outputs. */
export function targetRef(target: ResolvedTarget): string {
  return target.namespace === undefined ? target.name : `${target.namespace}/${target.name}`;
}
