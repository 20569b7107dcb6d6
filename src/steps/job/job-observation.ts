import { boundText } from "../../api/v1alpha1/bounds.ts";
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { STEP_CONTAINER_NAME } from "./job-manifest.ts";
import { outputsFromTerminationMessage } from "./termination-outputs.ts";

/** Longest failure detail kept from a container's termination message. */
export const MAX_FAILURE_DETAIL_LENGTH = 512;

/** What the engine knows about a step attempt's Job. */
export type JobObservation =
  | { readonly kind: "active" }
  | {
      readonly kind: "succeeded";
      readonly outputs: Readonly<Record<string, string>>;
      readonly note: string | undefined;
      readonly finishedAt: string | undefined;
    }
  | {
      readonly kind: "failed";
      /** True when the Job hit its activeDeadlineSeconds: the attempt timed out. */
      readonly deadlineExceeded: boolean;
      readonly message: string;
      readonly finishedAt: string | undefined;
    };

function finalCondition(job: V1Job, type: "Complete" | "Failed") {
  return job.status?.conditions?.find((condition) => condition.type === type && condition.status === "True");
}

function asIso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

/** The step container's termination state in the most recently created Pod that has one. */
function terminatedStep(pods: readonly V1Pod[]) {
  const byAge = [...pods].sort((a, b) =>
    (asIso(b.metadata?.creationTimestamp) ?? "").localeCompare(asIso(a.metadata?.creationTimestamp) ?? ""),
  );
  for (const pod of byAge) {
    const status = pod.status?.containerStatuses?.find((container) => container.name === STEP_CONTAINER_NAME);
    const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
    if (terminated !== undefined) return terminated;
  }
  return undefined;
}

function failureMessage(job: V1Job, pods: readonly V1Pod[]): string {
  const condition = finalCondition(job, "Failed");
  const parts = [`Job ${job.metadata?.name ?? ""} failed`];
  if (condition?.reason !== undefined) parts.push(` (${condition.reason})`);
  const terminated = terminatedStep(pods);
  if (terminated !== undefined) {
    parts.push(`: exit code ${terminated.exitCode}`);
    const detail = (terminated.message ?? terminated.reason ?? "").trim();
    if (detail !== "") parts.push(`: ${boundText(detail, MAX_FAILURE_DETAIL_LENGTH, "")}`);
  } else if (condition?.message !== undefined && condition.message !== "") {
    parts.push(`: ${boundText(condition.message, MAX_FAILURE_DETAIL_LENGTH, "")}`);
  }
  return parts.join("");
}

/**
 * Reads a Job's final state. A Job is finished only when its `Complete` or `Failed` condition is
 * True (interim conditions are ignored); outputs come from the step container's termination
 * message (see `outputsFromTerminationMessage`), taken from the newest Pod that has one; a
 * failure carries the exit code and the message (the log tail, with FallbackToLogsOnError).
 * `pods` only needs to be given for a finished Job.
 */
export function observeJob(job: V1Job, pods: readonly V1Pod[]): JobObservation {
  const complete = finalCondition(job, "Complete");
  if (complete !== undefined) {
    const terminated = terminatedStep(pods);
    const { outputs, note } = outputsFromTerminationMessage(terminated?.message);
    const podsGone = pods.length === 0 ? "the Job's Pod is gone; no outputs could be read" : undefined;
    return {
      kind: "succeeded",
      outputs,
      note: note ?? podsGone,
      finishedAt: asIso(job.status?.completionTime) ?? asIso(complete.lastTransitionTime),
    };
  }
  const failed = finalCondition(job, "Failed");
  if (failed !== undefined) {
    return {
      kind: "failed",
      deadlineExceeded: failed.reason === "DeadlineExceeded",
      message: failureMessage(job, pods),
      finishedAt: asIso(failed.lastTransitionTime),
    };
  }
  return { kind: "active" };
}

/** Whether a Job has reached a final condition, so its Pods are worth reading. */
export function jobFinished(job: V1Job): boolean {
  return finalCondition(job, "Complete") !== undefined || finalCondition(job, "Failed") !== undefined;
}
