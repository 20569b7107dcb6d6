import type { V1Pod } from "@kubernetes/client-node";
import { Label } from "../api/v1alpha1/constants.ts";
import { isNotFound } from "../runtime/errors.ts";
import type { ActionContext, UndoContext } from "./action-contract.ts";
import type { ReversibleActionDefinition } from "./action-definition.ts";
import { actionFailure, failureFromApiError, type ActionOutcome, type UndoOutcome } from "./action-outcome.ts";
import { isolationExceptionsProblem, isolationName, isolationPolicy, MAX_ISOLATION_PEERS, type IsolationExceptions, type IsolationPolicyManifest } from "./isolation-policy.ts";
import { dryRunDelete, dryRunParameter, FIELD_MANAGER, mergePatchOptions, serverSideApplyOptions } from "./kube-calls.ts";
import { readParams } from "./params.ts";
import { targetRef } from "./target.ts";
import type { IsolatePodUndo } from "./undo-record.ts";

type PolicyChange = "created" | "updated" | "unchanged";

/**
 * Server-side applies the policy (create or converge in one call) and tells what changed by
 * comparing resourceVersions: the API server does not write an apply that changes nothing.
 */
async function ensurePolicy(context: ActionContext, desired: IsolationPolicyManifest): Promise<PolicyChange> {
  const { networking } = context.clients;
  const { name, namespace } = desired.metadata;
  let before: string | undefined;
  try {
    before = (await networking.readNamespacedNetworkPolicy({ name, namespace })).metadata?.resourceVersion;
  } catch (error: unknown) {
    if (!isNotFound(error)) throw error;
  }
  const after = await networking.patchNamespacedNetworkPolicy(
    { name, namespace, body: desired, fieldManager: FIELD_MANAGER, force: true, ...dryRunParameter(context.dryRun) },
    serverSideApplyOptions,
  );
  if (before === undefined) return "created";
  return after.metadata?.resourceVersion === before ? "unchanged" : "updated";
}

async function run(context: ActionContext, exceptions: IsolationExceptions): Promise<ActionOutcome> {
  const { namespace, name } = context.target;
  if (namespace === undefined) return actionFailure("InvalidTarget", "isolatePod: target.namespace: required for a Pod");
  const ref = targetRef(context.target);
  const operation = { action: "isolatePod" as const, operation: `read pod ${ref}` };
  let pod: V1Pod;
  try {
    pod = await context.clients.core.readNamespacedPod({ name, namespace });
  } catch (error: unknown) {
    return failureFromApiError(error, operation);
  }
  if (pod.spec?.hostNetwork === true) {
    return actionFailure("IsolationIneffective", `isolatePod: pod ${ref} uses the host network, which NetworkPolicies do not restrict`);
  }
  const policyName = isolationName(name);
  const policy = isolationPolicy({
    pod: { namespace, name, uid: pod.metadata?.uid ?? "" },
    incident: context.incident,
    exceptions,
  });
  let change: PolicyChange;
  try {
    change = await ensurePolicy(context, policy);
  } catch (error: unknown) {
    return failureFromApiError(error, { action: "isolatePod", operation: `write networkpolicy ${namespace}/${policyName}` });
  }
  const labelled = pod.metadata?.labels?.[Label.Isolated] === policyName;
  if (!labelled) {
    try {
      await context.clients.core.patchNamespacedPod(
        { name, namespace, body: { metadata: { labels: { [Label.Isolated]: policyName } } }, fieldManager: FIELD_MANAGER, ...dryRunParameter(context.dryRun) },
        mergePatchOptions,
      );
    } catch (error: unknown) {
      return failureFromApiError(error, { action: "isolatePod", operation: `label pod ${ref}` });
    }
  }
  const alreadyApplied = change === "unchanged" && labelled;
  const verb = context.dryRun ? "would isolate" : alreadyApplied ? "already isolated" : "isolated";
  context.logger.info({ action: "isolatePod", namespace, pod: name, networkPolicy: policyName, policyChange: change, dryRun: context.dryRun }, "pod isolation applied");
  return {
    ok: true,
    alreadyApplied,
    message: `${verb} pod ${ref} with NetworkPolicy ${policyName}`,
    outputs: { networkPolicy: policyName, isolationLabel: `${Label.Isolated}=${policyName}`, dryRun: String(context.dryRun) },
    undo: { action: "isolatePod", namespace, pod: name, networkPolicy: policyName, isolationLabel: policyName },
  };
}

/**
 * `isolatePod`: a NetworkPolicy (named after the Pod, owned by it) that denies all ingress and
 * egress of the Pods carrying the quarantine label, then that label on the Pod. Params:
 * `allowCIDRs` and `allowNamespaces`, comma-separated peers still allowed in both directions
 * (for forensics). Fails with `IsolationIneffective` for host-network Pods.
 */
export const isolatePodAction: ReversibleActionDefinition<"isolatePod"> = {
  type: "isolatePod",
  revert: revertIsolation,
  async execute(context) {
    const params = readParams("isolatePod", context.params, ["allowCIDRs", "allowNamespaces"], (reader) => ({
      allowCIDRs: reader.list("allowCIDRs", MAX_ISOLATION_PEERS),
      allowNamespaces: reader.list("allowNamespaces", MAX_ISOLATION_PEERS),
    }));
    if (!params.ok) return params;
    const problem = isolationExceptionsProblem(params.value);
    if (problem !== undefined) return actionFailure("InvalidParams", `isolatePod: ${problem}`);
    return run(context, params.value);
  },
};

/**
 * Reverts isolatePod: deletes the isolation NetworkPolicy and removes the quarantine label when
 * it still has the recorded value. Objects already gone count as reverted. This lifts the
 * isolation whichever Incident applied it: isolations are per Pod, not per Incident.
 */
async function revertIsolation(context: UndoContext, undo: IsolatePodUndo): Promise<UndoOutcome> {
  const { namespace, pod, networkPolicy } = undo;
  const done: string[] = [];
  try {
    await context.clients.networking.deleteNamespacedNetworkPolicy({ name: networkPolicy, namespace, ...dryRunDelete(context.dryRun) });
    done.push(`deleted NetworkPolicy ${networkPolicy}`);
  } catch (error: unknown) {
    if (!isNotFound(error)) return failureFromApiError(error, { action: "isolatePod", operation: `delete networkpolicy ${namespace}/${networkPolicy}` });
  }
  try {
    const current = await context.clients.core.readNamespacedPod({ name: pod, namespace });
    if (current.metadata?.labels?.[Label.Isolated] === undo.isolationLabel) {
      await context.clients.core.patchNamespacedPod(
        { name: pod, namespace, body: { metadata: { labels: { [Label.Isolated]: null } } }, fieldManager: FIELD_MANAGER, ...dryRunParameter(context.dryRun) },
        mergePatchOptions,
      );
      done.push("removed the quarantine label");
    }
  } catch (error: unknown) {
    if (!isNotFound(error)) return failureFromApiError(error, { action: "isolatePod", operation: `unlabel pod ${namespace}/${pod}` });
  }
  context.logger.info({ action: "isolatePod", namespace, pod, networkPolicy, dryRun: context.dryRun }, "pod isolation reverted");
  return { ok: true, message: done.length === 0 ? `pod ${namespace}/${pod} was no longer isolated` : `${done.join(" and ")} of pod ${namespace}/${pod}` };
}
