import { V1Eviction, V1ObjectMeta, type V1Pod } from "@kubernetes/client-node";
import { apiErrorStatus, isNotFound } from "../runtime/errors.ts";
import type { ActionContext } from "./action-contract.ts";
import type { ActionDefinition } from "./action-definition.ts";
import { actionFailure, apiStatusMessage, failureFromApiError, type ActionOutcome } from "./action-outcome.ts";
import { deleteOptions, MAX_GRACE_PERIOD_SECONDS } from "./delete-pod.ts";
import { dryRunParameter } from "./kube-calls.ts";
import { readParams } from "./params.ts";
import { targetRef } from "./target.ts";

function gone(context: ActionContext, ref: string, message: string): ActionOutcome {
  return { ok: true, alreadyApplied: true, message: `pod ${ref} ${message}`, outputs: { evicted: "true", dryRun: String(context.dryRun) } };
}

async function run(context: ActionContext, gracePeriodSeconds: number | undefined): Promise<ActionOutcome> {
  const { namespace, name } = context.target;
  if (namespace === undefined) return actionFailure("InvalidTarget", "evictPod: target.namespace: required for a Pod");
  const ref = targetRef(context.target);
  let pod: V1Pod;
  try {
    pod = await context.clients.core.readNamespacedPod({ name, namespace });
  } catch (error: unknown) {
    if (isNotFound(error)) return gone(context, ref, "does not exist (already evicted or deleted)");
    return failureFromApiError(error, { action: "evictPod", operation: `read pod ${ref}` });
  }
  if (pod.metadata?.deletionTimestamp !== undefined) return gone(context, ref, "is already being deleted");
  const eviction = new V1Eviction();
  eviction.apiVersion = "policy/v1";
  eviction.kind = "Eviction";
  eviction.metadata = new V1ObjectMeta();
  eviction.metadata.name = name;
  eviction.metadata.namespace = namespace;
  eviction.deleteOptions = deleteOptions({ uid: pod.metadata?.uid ?? "", dryRun: context.dryRun, gracePeriodSeconds });
  try {
    await context.clients.core.createNamespacedPodEviction({ name, namespace, body: eviction, ...dryRunParameter(context.dryRun) });
  } catch (error: unknown) {
    if (isNotFound(error)) return gone(context, ref, "does not exist (already evicted or deleted)");
    if (apiErrorStatus(error) === 429) {
      return actionFailure("PodDisruptionBudget", `evictPod: eviction of pod ${ref} refused: ${apiStatusMessage(error)}`);
    }
    return failureFromApiError(error, { action: "evictPod", operation: `evict pod ${ref}` });
  }
  context.logger.info({ action: "evictPod", namespace, pod: name, dryRun: context.dryRun }, "pod evicted");
  return {
    ok: true,
    alreadyApplied: false,
    message: `${context.dryRun ? "would evict" : "evicted"} pod ${ref}`,
    outputs: { evicted: String(!context.dryRun), dryRun: String(context.dryRun) },
  };
}

/**
 * `evictPod`: evicts the Pod through the Eviction API, so PodDisruptionBudgets are respected:
 * a refusal (HTTP 429) fails with `PodDisruptionBudget` and the API server's explanation, and
 * is retryable. Param: `gracePeriodSeconds`. A Pod already gone counts as already applied.
 */
export const evictPodAction: ActionDefinition<"evictPod"> = {
  type: "evictPod",
  async execute(context) {
    const params = readParams("evictPod", context.params, ["gracePeriodSeconds"], (reader) =>
      reader.integer("gracePeriodSeconds", { min: 0, max: MAX_GRACE_PERIOD_SECONDS }),
    );
    if (!params.ok) return params;
    return run(context, params.value);
  },
};
