import type { V1Scale } from "@kubernetes/client-node";
import type { ActionClients, UndoContext } from "./action-contract.ts";
import type { ReversibleActionDefinition } from "./action-definition.ts";
import { actionFailure, failureFromApiError, type ActionFailure, type UndoOutcome } from "./action-outcome.ts";
import { dryRunParameter, FIELD_MANAGER, mergePatchOptions } from "./kube-calls.ts";
import { readParams } from "./params.ts";
import type { ScaleUndo } from "./undo-record.ts";

/** Largest replica count scaleWorkload sets. */
export const MAX_REPLICAS = 1000;

type WorkloadKind = ScaleUndo["kind"];

interface Workload {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
}

async function readScale(clients: ActionClients, workload: Workload): Promise<V1Scale> {
  const request = { name: workload.name, namespace: workload.namespace };
  return workload.kind === "Deployment"
    ? clients.apps.readNamespacedDeploymentScale(request)
    : clients.apps.readNamespacedStatefulSetScale(request);
}

async function writeScale(clients: ActionClients, workload: Workload, resourceVersion: string | undefined, replicas: number, dryRun: boolean): Promise<void> {
  const request = {
    name: workload.name,
    namespace: workload.namespace,
    body: { metadata: { resourceVersion }, spec: { replicas } },
    fieldManager: FIELD_MANAGER,
    ...dryRunParameter(dryRun),
  };
  if (workload.kind === "Deployment") await clients.apps.patchNamespacedDeploymentScale(request, mergePatchOptions);
  else await clients.apps.patchNamespacedStatefulSetScale(request, mergePatchOptions);
}

function describe(workload: Workload): string {
  return `${workload.kind.toLowerCase()} ${workload.namespace}/${workload.name}`;
}

async function currentReplicas(clients: ActionClients, workload: Workload): Promise<{ replicas: number; resourceVersion: string | undefined } | ActionFailure> {
  try {
    const scale = await readScale(clients, workload);
    return { replicas: scale.spec?.replicas ?? 0, resourceVersion: scale.metadata?.resourceVersion };
  } catch (error: unknown) {
    return failureFromApiError(error, { action: "scaleWorkload", operation: `read the scale of ${describe(workload)}` });
  }
}

/**
 * `scaleWorkload`: sets a Deployment's or StatefulSet's replicas (param `replicas`, 0 to 1000)
 * through its scale subresource, guarded by the read resourceVersion, and records the earlier
 * count for undo. A workload already at the requested count is reported as already applied
 * without an undo record: its earlier count is not known.
 */
export const scaleWorkloadAction: ReversibleActionDefinition<"scaleWorkload"> = {
  type: "scaleWorkload",
  revert: revertScale,
  async execute(context) {
    const params = readParams("scaleWorkload", context.params, ["replicas"], (reader) => reader.integer("replicas", { min: 0, max: MAX_REPLICAS }));
    if (!params.ok) return params;
    if (params.value === undefined) return actionFailure("InvalidParams", "scaleWorkload: params.replicas: required");
    const { kind, namespace, name } = context.target;
    if ((kind !== "Deployment" && kind !== "StatefulSet") || namespace === undefined) {
      return actionFailure("InvalidTarget", "scaleWorkload: target.kind: must be Deployment or StatefulSet, with a namespace");
    }
    const workload: Workload = { kind, namespace, name };
    const replicas = params.value;
    const current = await currentReplicas(context.clients, workload);
    if ("ok" in current) return current;
    const outputs = { previousReplicas: String(current.replicas), replicas: String(replicas), dryRun: String(context.dryRun) };
    if (current.replicas === replicas) {
      return { ok: true, alreadyApplied: true, message: `${describe(workload)} already has ${replicas} replicas`, outputs };
    }
    try {
      await writeScale(context.clients, workload, current.resourceVersion, replicas, context.dryRun);
    } catch (error: unknown) {
      return failureFromApiError(error, { action: "scaleWorkload", operation: `scale ${describe(workload)}` });
    }
    context.logger.info({ action: "scaleWorkload", kind, namespace, name, previousReplicas: current.replicas, replicas, dryRun: context.dryRun }, "workload scaled");
    return {
      ok: true,
      alreadyApplied: false,
      message: `${context.dryRun ? "would scale" : "scaled"} ${describe(workload)} from ${current.replicas} to ${replicas} replicas`,
      outputs,
      undo: { action: "scaleWorkload", kind, namespace, name, previousReplicas: current.replicas, appliedReplicas: replicas },
    };
  },
};

/**
 * Reverts scaleWorkload: scales back to the earlier count while the workload still has the
 * count the action set; a count changed since (by a person or an autoscaler) is left alone.
 */
async function revertScale(context: UndoContext, undo: ScaleUndo): Promise<UndoOutcome> {
  const current = await currentReplicas(context.clients, undo);
  if ("ok" in current) {
    return current.reason === "NotFound" ? { ok: true, message: `${describe(undo)} no longer exists; nothing to revert` } : current;
  }
  if (current.replicas !== undo.appliedReplicas) {
    return { ok: true, message: `${describe(undo)} has ${current.replicas} replicas, changed since the action set ${undo.appliedReplicas}; left as is` };
  }
  try {
    await writeScale(context.clients, undo, current.resourceVersion, undo.previousReplicas, context.dryRun);
  } catch (error: unknown) {
    return failureFromApiError(error, { action: "scaleWorkload", operation: `scale ${describe(undo)}` });
  }
  context.logger.info({ action: "scaleWorkload", kind: undo.kind, namespace: undo.namespace, name: undo.name, replicas: undo.previousReplicas, dryRun: context.dryRun }, "workload scale reverted");
  return { ok: true, message: `scaled ${describe(undo)} back to ${undo.previousReplicas} replicas` };
}
