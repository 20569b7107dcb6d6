import { V1DeleteOptions, V1Preconditions, type V1Pod } from "@kubernetes/client-node";
import { isNotFound } from "../runtime/errors.ts";
import type { ActionContext } from "./action-contract.ts";
import type { ActionDefinition } from "./action-definition.ts";
import { actionFailure, failureFromApiError, type ActionOutcome } from "./action-outcome.ts";
import { deletionKeepsMinHealthy, parseMinHealthy, type MinHealthy } from "./min-healthy.ts";
import { invalidParam, readParams } from "./params.ts";
import { isPodReady, resolvePodOwner, type PodOwner } from "./pod-owner.ts";
import { targetRef } from "./target.ts";
import { quotedValue } from "./quoted-value.ts";

/** Longest grace period deletePod and evictPod accept, in seconds. */
export const MAX_GRACE_PERIOD_SECONDS = 3600;

interface DeleteOptions {
  readonly gracePeriodSeconds: number | undefined;
  readonly minHealthy: MinHealthy | undefined;
  readonly skipDaemonSetPods: boolean;
  readonly skipStandalonePods: boolean;
}

function ownerName(owner: PodOwner): string {
  switch (owner.kind) {
    case "standalone":
      return "";
    case "workload":
      return owner.health.workload;
    case "other":
      return owner.workload;
  }
}

/**
 * Delete options that only apply to the object with this UID. The API server ignores the query
 * parameters of a DELETE that has a body, so dry-run and grace period travel in the body.
 */
export function deleteOptions(args: { uid: string; dryRun: boolean; gracePeriodSeconds: number | undefined }): V1DeleteOptions {
  const preconditions = new V1Preconditions();
  preconditions.uid = args.uid;
  const options = new V1DeleteOptions();
  options.preconditions = preconditions;
  if (args.gracePeriodSeconds !== undefined) options.gracePeriodSeconds = args.gracePeriodSeconds;
  if (args.dryRun) options.dryRun = ["All"];
  return options;
}

function skipped(context: ActionContext, message: string, owner: PodOwner): ActionOutcome {
  return { ok: true, alreadyApplied: false, message, outputs: { deleted: "false", owner: ownerName(owner), dryRun: String(context.dryRun) } };
}

async function run(context: ActionContext, options: DeleteOptions): Promise<ActionOutcome> {
  const { namespace, name } = context.target;
  if (namespace === undefined) return actionFailure("InvalidTarget", "deletePod: target.namespace: required for a Pod");
  const ref = targetRef(context.target);
  let pod: V1Pod;
  try {
    pod = await context.clients.core.readNamespacedPod({ name, namespace });
  } catch (error: unknown) {
    if (isNotFound(error)) {
      return { ok: true, alreadyApplied: true, message: `pod ${ref} does not exist (already deleted)`, outputs: { deleted: "true", owner: "", dryRun: String(context.dryRun) } };
    }
    return failureFromApiError(error, { action: "deletePod", operation: `read pod ${ref}` });
  }
  let owner: PodOwner;
  try {
    owner = await resolvePodOwner(context.clients, pod);
  } catch (error: unknown) {
    return failureFromApiError(error, { action: "deletePod", operation: `read the owner of pod ${ref}` });
  }
  if (pod.metadata?.deletionTimestamp !== undefined) {
    return { ok: true, alreadyApplied: true, message: `pod ${ref} is already being deleted`, outputs: { deleted: "true", owner: ownerName(owner), dryRun: String(context.dryRun) } };
  }
  if (owner.kind === "standalone" && options.skipStandalonePods) return skipped(context, `skipped pod ${ref}: it has no controller (skipStandalonePods)`, owner);
  if (owner.kind === "workload" && owner.workloadKind === "DaemonSet" && options.skipDaemonSetPods) {
    return skipped(context, `skipped pod ${ref}: it belongs to ${owner.health.workload} (skipDaemonSetPods)`, owner);
  }
  if (options.minHealthy !== undefined && owner.kind === "workload") {
    const verdict = deletionKeepsMinHealthy(owner.health, isPodReady(pod), options.minHealthy);
    if (!verdict.allowed) return actionFailure("MinHealthyReplicas", `deletePod: refused for pod ${ref}: ${verdict.message}`);
  }
  try {
    await context.clients.core.deleteNamespacedPod({
      name,
      namespace,
      body: deleteOptions({ uid: pod.metadata?.uid ?? "", dryRun: context.dryRun, gracePeriodSeconds: options.gracePeriodSeconds }),
    });
  } catch (error: unknown) {
    if (isNotFound(error)) {
      return { ok: true, alreadyApplied: true, message: `pod ${ref} does not exist (already deleted)`, outputs: { deleted: "true", owner: ownerName(owner), dryRun: String(context.dryRun) } };
    }
    return failureFromApiError(error, { action: "deletePod", operation: `delete pod ${ref}` });
  }
  context.logger.info({ action: "deletePod", namespace, pod: name, owner: ownerName(owner), dryRun: context.dryRun }, "pod deleted");
  return {
    ok: true,
    alreadyApplied: false,
    message: `${context.dryRun ? "would delete" : "deleted"} pod ${ref}`,
    outputs: { deleted: String(!context.dryRun), owner: ownerName(owner), dryRun: String(context.dryRun) },
  };
}

/**
 * `deletePod`: deletes the Pod (precondition: the UID that was read, so a replacement with the
 * same name is never hit by an old decision). Params: `gracePeriodSeconds`;
 * `minHealthyReplicas` (`2` or `50%`), refusing with `MinHealthyReplicas` when the owning
 * workload would keep fewer ready replicas; `skipDaemonSetPods` and `skipStandalonePods`
 * (`true`/`false`, default false) to leave such Pods alone. A Pod already gone counts as
 * already applied.
 */
export const deletePodAction: ActionDefinition<"deletePod"> = {
  type: "deletePod",
  async execute(context) {
    const params = readParams("deletePod", context.params, ["gracePeriodSeconds", "minHealthyReplicas", "skipDaemonSetPods", "skipStandalonePods"], (reader) => {
      const minText = reader.string("minHealthyReplicas");
      const minHealthy = minText === undefined ? undefined : parseMinHealthy(minText);
      if (minText !== undefined && minHealthy === undefined) {
        invalidParam(`params.minHealthyReplicas: must be a count such as 2 or a percentage such as 50%, got ${quotedValue(minText)}`);
      }
      return {
        gracePeriodSeconds: reader.integer("gracePeriodSeconds", { min: 0, max: MAX_GRACE_PERIOD_SECONDS }),
        minHealthy,
        skipDaemonSetPods: reader.boolean("skipDaemonSetPods", false),
        skipStandalonePods: reader.boolean("skipStandalonePods", false),
      };
    });
    if (!params.ok) return params;
    return run(context, params.value);
  },
};
