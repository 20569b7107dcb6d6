import { Kind } from "../../api/v1alpha1/constants.ts";
import type { Incident, PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import type { JobClient } from "../../steps/job/job-client.ts";
import { classifyApiError, TransientError } from "../../runtime/errors.ts";
import { bounded } from "../../api/v1alpha1/bounds.ts";
import { MAX_STEP_MESSAGE_LENGTH, type StepEffect } from "./plan.ts";
import { runCallEffect, type CallDeps } from "./execute-calls.ts";
import { IncidentReason } from "./reasons.ts";
import type { TimelineEvent } from "./timeline.ts";

/** Identifies one side effect, for hooks and logs. */
export interface SideEffectRef {
  readonly namespace: string;
  readonly incident: string;
  readonly playbook: string;
  readonly step: string;
  readonly attempt: number;
  /** The deterministic name of the object the effect creates. */
  readonly name: string;
}

/**
 * Points where tests (and only tests) may interrupt the engine, to prove crash safety: a hook
 * that throws aborts the reconcile exactly there, as a crash would.
 */
export interface StepHooks {
  /** Runs once the intent is durable, just before the side effect. */
  beforeSideEffect?(effect: SideEffectRef): void | Promise<void>;
  /** Runs just after the side effect, before its outcome is written to status. */
  afterSideEffect?(effect: SideEffectRef): void | Promise<void>;
}

/** What execute needs. */
export interface ExecuteInput {
  readonly incident: Incident;
  /** The runs as planned. */
  readonly runs: readonly PlaybookRun[];
  readonly effects: readonly StepEffect[];
  readonly jobs: JobClient;
  /** What action and connector effects need. */
  readonly calls: CallDeps;
  readonly hooks: StepHooks | undefined;
  readonly now: Date;
}

/** The runs with the effects' outcomes recorded, and what happened. */
export interface ExecuteResult {
  readonly runs: readonly PlaybookRun[];
  readonly events: readonly TimelineEvent[];
}

function updateStep(runs: readonly PlaybookRun[], playbook: string, step: string, update: (state: StepState) => StepState): PlaybookRun[] {
  return runs.map((run) =>
    run.name !== playbook ? run : { ...run, steps: (run.steps ?? []).map((state) => (state.name === step ? update(state) : state)) },
  );
}

function failed(state: StepState, message: string, now: Date): StepState {
  return { ...state, phase: "Failed", finishedAt: now.toISOString(), message: bounded(message, MAX_STEP_MESSAGE_LENGTH) };
}

function controlledBy(owners: readonly { kind: string; uid: string; controller?: boolean }[] | undefined, uid: string | undefined): boolean {
  return (owners ?? []).some((owner) => owner.kind === Kind.Incident && owner.uid === uid && owner.controller === true);
}

/**
 * Execute: carries out the effects plan asked for, which only ever concern intents already
 * durable in status. Action, connector and notify effects run through `runCallEffect`, and their
 * outcome (success, retry wait, or failure with its reason) is recorded in the step. Each Job is
 * created under its deterministic name; when the name exists (an earlier reconcile created it and crashed before recording it), the Job is adopted if this
 * Incident controls it and the step fails otherwise. The step then records the Job. A request
 * the API rejects as invalid fails the step with the API's message; any other API error is
 * thrown as a TransientError, so the reconcile retries with backoff and nothing is recorded.
 */
export async function execute(input: ExecuteInput): Promise<ExecuteResult> {
  let runs = [...input.runs];
  const events: TimelineEvent[] = [];
  const namespace = input.incident.metadata.namespace ?? "";
  const incident = input.incident.metadata.name ?? "";
  for (const effect of input.effects) {
    if (effect.kind !== "ensureJob") {
      const ref: SideEffectRef = { namespace, incident, playbook: effect.playbook, step: effect.step, attempt: effect.attempt, name: effect.intentId };
      await input.hooks?.beforeSideEffect?.(ref);
      const result = await runCallEffect(input, effect, runs);
      await input.hooks?.afterSideEffect?.(ref);
      runs = updateStep(runs, effect.playbook, effect.step, () => result.state);
      events.push(result.event);
      continue;
    }
    const name = effect.job.metadata?.name ?? "";
    const ref: SideEffectRef = { namespace, incident, playbook: effect.playbook, step: effect.step, attempt: effect.attempt, name };
    await input.hooks?.beforeSideEffect?.(ref);
    let outcome: Awaited<ReturnType<JobClient["ensure"]>>;
    try {
      outcome = await input.jobs.ensure(effect.job);
    } catch (error: unknown) {
      if (classifyApiError(error) !== "invalid") {
        throw new TransientError("JobCreateFailed", `creating Job ${name} failed`, { cause: error });
      }
      const message = `attempt ${effect.attempt}: the API rejected Job ${name}: ${error instanceof Error ? error.message : String(error)}`;
      events.push({ type: "Warning", reason: IncidentReason.StepFailed, message, playbook: effect.playbook, step: effect.step });
      runs = updateStep(runs, effect.playbook, effect.step, (state) => failed(state, message, input.now));
      continue;
    }
    await input.hooks?.afterSideEffect?.(ref);
    if (outcome.kind === "exists" && !controlledBy(outcome.job.metadata?.ownerReferences, input.incident.metadata.uid)) {
      const message = `attempt ${effect.attempt}: a Job named ${name} exists but is not owned by this Incident`;
      events.push({ type: "Warning", reason: IncidentReason.StepFailed, message, playbook: effect.playbook, step: effect.step });
      runs = updateStep(runs, effect.playbook, effect.step, (state) => failed(state, message, input.now));
      continue;
    }
    const verb = outcome.kind === "created" ? "created" : "adopted";
    const message = `attempt ${effect.attempt}: Job ${name} ${verb}`;
    events.push({ type: "Normal", reason: IncidentReason.StepStarted, message, playbook: effect.playbook, step: effect.step });
    runs = updateStep(runs, effect.playbook, effect.step, (state) => ({ ...state, job: name, message }));
  }
  return { runs, events };
}
