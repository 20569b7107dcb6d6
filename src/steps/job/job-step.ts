import { formatDuration } from "../../api/duration.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { StepState } from "../../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../../playbook/index.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import { classifyApiError, TransientError } from "../../runtime/errors.ts";
import { advanceRetryWait, attemptEnded, withoutAttemptResults } from "../attempts.ts";
import { intentDisposition } from "../intent-ledger.ts";
import type { PlanContext } from "../plan-context.ts";
import { renderStepTemplates } from "../render-templates.ts";
import type { EnsureJobEffect } from "../step-effects.ts";
import type { EffectExecutor, RecordedIntent, StepKindDefinition } from "../step-kind.ts";
import { jobDryRunOutputs } from "./dry-run-outputs.ts";
import type { EnsureJobResult } from "./job-client.ts";
import { buildJobManifest, type JobManifest } from "./job-manifest.ts";
import { jobNameFor } from "./job-name.ts";
import { controlledBy } from "./job-owner.ts";

/**
 * Extra time the engine gives a Job past its step timeout before declaring the attempt timed
 * out itself; the Job's own activeDeadlineSeconds normally fires first.
 */
export const JOB_TIMEOUT_GRACE_MS = 30_000;

function jobManifest(plan: PlanContext, step: CompiledStep, attempt: number): { job: JobManifest } | { error: string } {
  const jobSpec = step.spec.job;
  if (jobSpec === undefined) return { error: `spec.steps[${step.index}].job: missing` };
  const rendered = renderStepTemplates(step, plan.variables());
  if (!rendered.ok) return { error: `${rendered.field}: ${rendered.message}` };
  const incident = plan.input.incident.metadata;
  const owner = { name: incident.name ?? "", namespace: incident.namespace ?? "", uid: incident.uid ?? "" };
  const jobName = jobNameFor({ incident: owner.name, incidentUid: owner.uid, playbook: plan.runName, step: step.name, attempt });
  return {
    job: buildJobManifest({
      owner,
      playbook: plan.runName,
      step: step.name,
      job: jobSpec,
      jobName,
      attempt,
      rendered: rendered.values,
      serviceAccountName: jobSpec.serviceAccountName ?? plan.input.playbook.serviceAccountName,
      timeoutMs: step.timeoutMs,
    }),
  };
}

/** Starts attempt `attempt`: records the intent under the Job's deterministic name, nothing else. */
function startAttempt(plan: PlanContext, step: CompiledStep, state: StepState, attempt: number): StepState {
  const manifest = jobManifest(plan, step, attempt);
  if ("error" in manifest) {
    return plan.failed(step, { ...state, startedAt: state.startedAt ?? plan.now.toISOString() }, `attempt ${attempt} could not be rendered: ${manifest.error}`);
  }
  const jobName = manifest.job.metadata?.name ?? "";
  return {
    ...withoutAttemptResults(state),
    phase: "Running",
    attempts: attempt,
    startedAt: state.startedAt ?? plan.now.toISOString(),
    intent: { attempt, id: jobName, at: plan.now.toISOString() },
    message: `attempt ${attempt}: Job ${jobName} is being created`,
  };
}

/** No Job of the intent's name: a recorded Job vanished, or a durable intent asks for its Job. */
function absentJob(plan: PlanContext, step: CompiledStep, state: StepState, attempt: number, jobName: string): StepState {
  if (state.job !== undefined) {
    return attemptEnded(plan, step, state, "Failed", `Job ${jobName} was deleted before its outcome was read`);
  }
  const disposition = intentDisposition({
    id: jobName,
    durableId: plan.durableIntentId(step),
    fresh: new Set(),
    kind: step.kind ?? "job",
    safeToRetry: step.safeToRetry,
  });
  if (disposition === "wait") return state;
  if (disposition === "outcome-unknown") {
    const message = `attempt ${attempt}: the outcome of ${jobName} is unknown and the step is not safe to retry`;
    return plan.failed(step, state, message, IncidentReason.OutcomeUnknown);
  }
  const manifest = jobManifest(plan, step, attempt);
  if ("error" in manifest) return plan.failed(step, state, `attempt ${attempt} could not be rendered: ${manifest.error}`);
  plan.effects.push({ kind: "ensureJob", playbook: plan.runName, step: step.name, attempt, job: manifest.job });
  return state;
}

/** A Job still running: the engine times the attempt out once it outlives the step timeout and grace. */
function activeJob(plan: PlanContext, step: CompiledStep, state: StepState, intentAt: string | undefined): StepState {
  if (step.timeoutMs === undefined || intentAt === undefined) return state;
  const deadline = Date.parse(intentAt) + step.timeoutMs + JOB_TIMEOUT_GRACE_MS;
  const remaining = deadline - plan.now.getTime();
  if (remaining > 0) {
    plan.recheck(remaining);
    return state;
  }
  return attemptEnded(plan, step, state, "TimedOut", `attempt exceeded its timeout of ${formatDuration(step.timeoutMs)}`);
}

function advanceRunning(plan: PlanContext, step: CompiledStep, state: StepState, intent: RecordedIntent): StepState {
  const observation = plan.input.observations.get(step.name);
  if (observation === undefined) return state;
  let withJob = state;
  if (state.job === undefined && observation.kind !== "absent") {
    const message = `attempt ${intent.attempt}: Job ${intent.id} adopted`;
    plan.event("Normal", IncidentReason.StepStarted, step.name, message);
    withJob = { ...state, job: intent.id, message };
  }
  switch (observation.kind) {
    case "absent":
      return absentJob(plan, step, state, intent.attempt, intent.id);
    case "active":
      return activeJob(plan, step, withJob, intent.at);
    case "succeeded": {
      const message = `Job ${intent.id} succeeded${observation.note === undefined ? "" : `; ${observation.note}`}`;
      plan.event("Normal", IncidentReason.StepSucceeded, step.name, message);
      return { ...plan.finished(withJob, "Succeeded", message), outputs: { ...observation.outputs } };
    }
    case "failed":
      return attemptEnded(plan, step, withJob, observation.deadlineExceeded ? "TimedOut" : "Failed", observation.message);
  }
}

function dryRun(plan: PlanContext, step: CompiledStep, state: StepState): StepState {
  const started: StepState = { ...state, startedAt: plan.now.toISOString() };
  const manifest = jobManifest(plan, step, 1);
  if ("error" in manifest) return plan.failed(step, started, `dry run: Job could not be rendered: ${manifest.error}`);
  const message = `dry run: Job ${manifest.job.metadata?.name ?? ""} rendered, not created`;
  plan.event("Normal", IncidentReason.DryRunRendered, step.name, message);
  return { ...plan.finished(started, "Succeeded", message), outputs: jobDryRunOutputs(manifest.job) };
}

/**
 * Creates the Job under its deterministic name. When the name exists (an earlier reconcile
 * created it and crashed before recording it), the Job is adopted if this Incident controls it
 * and the step fails otherwise; the step then records the Job. A request the API rejects as
 * invalid fails the step with the API's message; any other API error is thrown as a
 * TransientError, so the reconcile retries with backoff and nothing is recorded.
 */
const ensureJob: EffectExecutor<EnsureJobEffect> = {
  effect: "ensureJob",
  name: (effect) => effect.job.metadata?.name ?? "",
  async execute(effect, state, context) {
    const name = effect.job.metadata?.name ?? "";
    const failed = (message: string): StepState => ({ ...state, phase: "Failed", finishedAt: context.now.toISOString(), message: boundText(message, MAX_MESSAGE_LENGTH) });
    let outcome: EnsureJobResult;
    try {
      outcome = await context.jobs.ensure(effect.job);
    } catch (error: unknown) {
      if (classifyApiError(error) !== "invalid") {
        throw new TransientError(Reason.JobCreateFailed, `creating Job ${name} failed`, { cause: error });
      }
      const message = `attempt ${effect.attempt}: the API rejected Job ${name}: ${error instanceof Error ? error.message : String(error)}`;
      return { state: failed(message), event: { type: "Warning", reason: IncidentReason.StepFailed, message }, carriedOut: false };
    }
    if (outcome.kind === "exists" && !controlledBy(outcome.job, context.incident)) {
      const message = `attempt ${effect.attempt}: a Job named ${name} exists but is not owned by this Incident`;
      return { state: failed(message), event: { type: "Warning", reason: IncidentReason.StepFailed, message }, carriedOut: true };
    }
    const message = `attempt ${effect.attempt}: Job ${name} ${outcome.kind === "created" ? "created" : "adopted"}`;
    return { state: { ...state, job: name, message }, event: { type: "Normal", reason: IncidentReason.StepStarted, message }, carriedOut: true };
  },
};

/**
 * Job steps: an attempt records its intent under the Job's deterministic name, the Job is
 * created only for a durable intent, observed until it finishes, timed out by the engine after
 * the step timeout plus {@link JOB_TIMEOUT_GRACE_MS}, and retried after its backoff.
 */
export const jobStep: StepKindDefinition = {
  guarded: false,
  start: (plan, step, state) => startAttempt(plan, step, state, 1),
  advanceRunning,
  advanceWaiting: (plan, step, state) => advanceRetryWait(plan, step, state, startAttempt),
  dryRun,
  executor: ensureJob,
};
