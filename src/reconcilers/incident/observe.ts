import type { V1Job } from "@kubernetes/client-node";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import type { JobClient } from "../../steps/job/job-client.ts";
import { jobFinished, observeJob } from "../../steps/job/job-observation.ts";
import { controlledBy } from "../../steps/job/job-owner.ts";
import type { StepObservation } from "../../steps/plan-context.ts";
import type { ActiveRun } from "./triage.ts";

/** Finds a Job in the informer cache by namespace and name. */
export type CachedJobLookup = (namespace: string, name: string) => V1Job | undefined;

/** What observe reads from. */
export interface ObserveInput {
  readonly incident: Incident;
  readonly active: readonly ActiveRun[];
  readonly cachedJob: CachedJobLookup;
  readonly jobs: JobClient;
}

/** Observations per run name, then per step name. */
export type RunObservations = ReadonlyMap<string, ReadonlyMap<string, StepObservation>>;

async function observeStep(input: ObserveInput, jobName: string, recorded: boolean): Promise<StepObservation> {
  const namespace = input.incident.metadata.namespace ?? "";
  // The cache can lag right after a create: before declaring a recorded Job gone, ask the API.
  const job = input.cachedJob(namespace, jobName) ?? (recorded ? await input.jobs.get(namespace, jobName) : undefined);
  if (job === undefined) return { kind: "absent" };
  if (!controlledBy(job, input.incident)) {
    return {
      kind: "failed",
      deadlineExceeded: false,
      message: `a Job named ${jobName} exists but is not owned by this Incident; it was not adopted`,
      finishedAt: undefined,
    };
  }
  if (!jobFinished(job)) return { kind: "active" };
  return observeJob(job, await input.jobs.pods(namespace, jobName));
}

/**
 * Observe: reads the world for every running Job step of the active runs, without changing it.
 * For a step whose intent is recorded, the Job of the intent's deterministic name is looked up
 * in the cache (and, when the step already recorded it, confirmed with a GET before it is called
 * absent); a Job not controlled by this Incident is never adopted; the Pods of a finished Job are
 * read for its termination message. Errors of the API propagate (the reconcile is retried).
 */
export async function observe(input: ObserveInput): Promise<RunObservations> {
  const result = new Map<string, Map<string, StepObservation>>();
  for (const { run } of input.active) {
    const steps = new Map<string, StepObservation>();
    for (const state of run.steps ?? []) {
      if (state.phase !== "Running" || state.intent === undefined) continue;
      steps.set(state.name, await observeStep(input, state.intent.id, state.job !== undefined));
    }
    result.set(run.name, steps);
  }
  return result;
}
