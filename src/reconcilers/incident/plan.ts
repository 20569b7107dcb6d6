import { formatDuration } from "../../api/duration.ts";
import type { Incident, PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import { decideApproval } from "../../steps/approval/approval-decision.ts";
import { bounded } from "../../api/v1alpha1/bounds.ts";
import { jobDryRunOutputs } from "../../steps/job/dry-run-outputs.ts";
import { buildJobManifest, type JobManifest } from "../../steps/job/job-manifest.ts";
import { resolveUnknownOutcome } from "../../steps/intent-resolution.ts";
import { jobNameFor } from "../../steps/job/job-name.ts";
import type { JobObservation } from "../../steps/job/job-observation.ts";
import { MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../../steps/job/termination-outputs.ts";
import { renderStepTemplates } from "../../steps/render-templates.ts";
import { prepareActionStep } from "../../steps/action/action-step.ts";
import { prepareCallStep } from "../../steps/connector/connector-step.ts";
import { guardInputFor, type GuardSubject } from "../../steps/guard-request.ts";
import { sideEffectIntentId } from "../../steps/intent-id.ts";
import type { CallConnectorEffect, RunActionEffect } from "../../steps/step-effects.ts";
import { evaluateBool } from "../../expr/index.ts";
import type { CompiledPlaybook, CompiledStep } from "../../playbook/index.ts";
import { targetRef } from "../../actions/index.ts";
import { evaluateGuards, type GuardDecision, type GuardedHistory, type GuardPolicy } from "../../policy/index.ts";
import { IncidentReason } from "./reasons.ts";
import { mayRetry, retryDelayMs } from "../../steps/retry-policy.ts";
import { failsRun, isTerminal, satisfiesNeeds } from "../../steps/step-outcome.ts";
import { eventVariable, incidentVariable, stepsVariable } from "../../steps/step-variables.ts";
import type { TimelineEvent } from "./timeline.ts";

/** Longest step message written (the schema's bound). */
export const MAX_STEP_MESSAGE_LENGTH = 1024;

/**
 * Extra time the engine gives a Job past its step timeout before declaring the attempt timed
 * out itself; the Job's own activeDeadlineSeconds normally fires first.
 */
export const JOB_TIMEOUT_GRACE_MS = 30_000;

/** What observe found for a running Job step's current attempt. */
export type StepObservation = JobObservation | { readonly kind: "absent" };

/** A side effect plan asks execute to carry out: create (or adopt) the Job of a recorded intent. */
export interface EnsureJobEffect {
  readonly kind: "ensureJob";
  readonly playbook: string;
  readonly step: string;
  readonly attempt: number;
  readonly job: JobManifest;
}

/** Any side effect plan asks execute to carry out. */
export type StepEffect = EnsureJobEffect | RunActionEffect | CallConnectorEffect;

/** What the guard chain needs besides the step: the operator's policy and the Playbook's history. */
export interface GuardContext {
  readonly policy: GuardPolicy;
  /** Read only when a step reaches the guard chain: it scans the namespace's Incidents. */
  readonly history: () => GuardedHistory;
}

/** Everything planning one run needs; no I/O happens during planning. */
export interface RunPlanInput {
  readonly now: Date;
  readonly incident: Incident;
  /** The run as persisted (read from the API), phase Running or AwaitingApproval. */
  readonly run: PlaybookRun;
  /** The compiled generation the run is pinned to, without problems. */
  readonly playbook: CompiledPlaybook;
  /** Observations of running Job steps, by step name. */
  readonly observations: ReadonlyMap<string, StepObservation>;
  /** False while the operator is paused: nothing new starts, running steps are still observed. */
  readonly mayStart: boolean;
  /** The guard chain's inputs, evaluated before every action, connector and notify step. */
  readonly guards: GuardContext;
  /**
   * Intent ids of action, connector and notify steps this process recorded and has not carried
   * out yet. A durable intent not in this set may have been carried out before a restart.
   */
  readonly freshIntents: ReadonlySet<string>;
}

/** The next state of a run and what must happen for it. */
export interface RunPlan {
  readonly run: PlaybookRun;
  readonly effects: readonly StepEffect[];
  readonly events: readonly TimelineEvent[];
  /** Guard refusals decided in this pass, for the refusal metric. */
  readonly refusals: readonly GuardDecision[];
  /** Look again after this long (a timeout, a retry or an approval deadline); undefined: on change. */
  readonly recheckAfterMs: number | undefined;
}

/** A step state without what belongs to a finished attempt (end time, Job, outputs). */
function withoutAttemptResults(state: StepState): StepState {
  const copy = { ...state };
  delete copy.finishedAt;
  delete copy.job;
  delete copy.outputs;
  return copy;
}

class RunPlanner {
  readonly #input: RunPlanInput;
  readonly #states = new Map<string, StepState>();
  readonly #persisted: ReadonlyMap<string, StepState>;
  readonly #steps: ReadonlyMap<string, CompiledStep>;
  readonly effects: StepEffect[] = [];
  readonly events: TimelineEvent[] = [];
  readonly refusals: GuardDecision[] = [];
  recheckAfterMs: number | undefined;

  constructor(input: RunPlanInput) {
    this.#input = input;
    this.#persisted = new Map((input.run.steps ?? []).map((state) => [state.name, state]));
    this.#steps = new Map(input.playbook.steps.map((step) => [step.name, step]));
    for (const step of input.playbook.steps) {
      this.#states.set(step.name, this.#persisted.get(step.name) ?? { name: step.name, phase: "Pending" });
    }
  }

  plan(): RunPlan {
    for (const name of this.#input.playbook.graph?.order ?? []) {
      const step = this.#steps.get(name);
      const state = this.#states.get(name);
      if (step !== undefined && state !== undefined) this.#states.set(name, this.#advance(step, state));
    }
    return {
      run: this.#finishRun(),
      effects: this.effects,
      events: this.events,
      refusals: this.refusals,
      recheckAfterMs: this.recheckAfterMs,
    };
  }

  get #now(): Date {
    return this.#input.now;
  }

  get #runName(): string {
    return this.#input.run.name;
  }

  #recheck(delayMs: number): void {
    const delay = Math.max(1, Math.ceil(delayMs));
    this.recheckAfterMs = this.recheckAfterMs === undefined ? delay : Math.min(this.recheckAfterMs, delay);
  }

  #event(type: TimelineEvent["type"], reason: string, step: string, message: string): void {
    this.events.push({ type, reason, message, playbook: this.#runName, step });
  }

  #failing(): boolean {
    return this.#input.playbook.steps.some((step) => {
      const state = this.#states.get(step.name);
      return state !== undefined && failsRun(state, step);
    });
  }

  #variables(): Record<string, unknown> {
    const run: PlaybookRun = { ...this.#input.run, steps: [...this.#states.values()] };
    return {
      event: eventVariable(this.#input.incident),
      incident: incidentVariable(this.#input.incident),
      steps: stepsVariable(run),
    };
  }

  #advance(step: CompiledStep, state: StepState): StepState {
    if (isTerminal(state)) return state;
    switch (state.phase) {
      case "Running":
        return this.#advanceRunning(step, state);
      case "Waiting":
        return step.kind === "approval" ? this.#advanceApproval(step, state) : this.#advanceRetryWait(step, state);
      default:
        return this.#advancePending(step, state);
    }
  }

  #advancePending(step: CompiledStep, state: StepState): StepState {
    const dependencies = this.#input.playbook.graph?.dependencies.get(step.name) ?? [];
    for (const needed of dependencies) {
      const neededState = this.#states.get(needed);
      const neededStep = this.#steps.get(needed);
      if (neededState === undefined || neededStep === undefined || !isTerminal(neededState)) return state;
      if (!satisfiesNeeds(neededState, neededStep)) return state;
    }
    if (this.#failing()) return state;
    if (step.when !== undefined) {
      const result = evaluateBool(step.when, this.#variables());
      if (!result.ok || !result.value) {
        const message = result.ok ? "when evaluated to false" : `when could not be evaluated: ${result.message}`;
        this.#event("Normal", IncidentReason.StepSkipped, step.name, message);
        return this.#finished(state, "Skipped", message);
      }
    }
    if (!this.#input.mayStart) return state;
    if (this.#input.run.dryRun === true) return this.#dryRunGuarded(step, state);
    if (step.kind === "job") return this.#startAttempt(step, state, 1);
    if (step.kind === "approval") return this.#startApproval(step, state);
    if (step.kind === "action" || step.kind === "connector" || step.kind === "notify") return this.#startEffect(step, state, 1);
    const message = "the step sets no kind (exactly one of job, action, connector, approval or notify)";
    this.#event("Warning", IncidentReason.StepFailed, step.name, message);
    return this.#finished({ ...state, startedAt: this.#now.toISOString() }, "Failed", message);
  }

  #finished(state: StepState, phase: "Succeeded" | "Failed" | "Skipped" | "TimedOut", message: string): StepState {
    return { ...state, phase, finishedAt: this.#now.toISOString(), message: bounded(message, MAX_STEP_MESSAGE_LENGTH) };
  }

  #jobManifest(step: CompiledStep, attempt: number): { job: JobManifest } | { error: string } {
    const jobSpec = step.spec.job;
    if (jobSpec === undefined) return { error: `spec.steps[${step.index}].job: missing` };
    const rendered = renderStepTemplates(step, this.#variables());
    if (!rendered.ok) return { error: `${rendered.field}: ${rendered.message}` };
    const incident = this.#input.incident.metadata;
    const owner = { name: incident.name ?? "", namespace: incident.namespace ?? "", uid: incident.uid ?? "" };
    const jobName = jobNameFor({ incident: owner.name, incidentUid: owner.uid, playbook: this.#runName, step: step.name, attempt });
    return {
      job: buildJobManifest({
        owner,
        playbook: this.#runName,
        step: step.name,
        job: jobSpec,
        jobName,
        attempt,
        rendered: rendered.values,
        serviceAccountName: jobSpec.serviceAccountName ?? this.#input.playbook.serviceAccountName,
        timeoutMs: step.timeoutMs,
      }),
    };
  }

  #startAttempt(step: CompiledStep, state: StepState, attempt: number): StepState {
    const manifest = this.#jobManifest(step, attempt);
    if ("error" in manifest) {
      const message = `attempt ${attempt} could not be rendered: ${manifest.error}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished({ ...state, startedAt: state.startedAt ?? this.#now.toISOString() }, "Failed", message);
    }
    const jobName = manifest.job.metadata?.name ?? "";
    return {
      ...withoutAttemptResults(state),
      phase: "Running",
      attempts: attempt,
      startedAt: state.startedAt ?? this.#now.toISOString(),
      intent: { attempt, id: jobName, at: this.#now.toISOString() },
      message: `attempt ${attempt}: Job ${jobName} is being created`,
    };
  }

  #advanceRunning(step: CompiledStep, state: StepState): StepState {
    const intent = state.intent;
    if (intent === undefined) {
      const message = "step was Running without a recorded intent; its outcome is unknown";
      this.#event("Warning", IncidentReason.OutcomeUnknown, step.name, message);
      return this.#finished(state, "Failed", message);
    }
    if (step.kind === "action" || step.kind === "connector" || step.kind === "notify") return this.#advanceEffect(step, state, intent.attempt, intent.id);
    const observation = this.#input.observations.get(step.name);
    if (observation === undefined) return state;
    let withJob = state;
    if (state.job === undefined && observation.kind !== "absent") {
      const message = `attempt ${intent.attempt}: Job ${intent.id} adopted`;
      this.#event("Normal", IncidentReason.StepStarted, step.name, message);
      withJob = { ...state, job: intent.id, message };
    }
    switch (observation.kind) {
      case "absent":
        return this.#absentJob(step, state, intent.attempt, intent.id);
      case "active":
        return this.#activeJob(step, withJob, intent.at);
      case "succeeded": {
        const message = `Job ${intent.id} succeeded${observation.note === undefined ? "" : `; ${observation.note}`}`;
        this.#event("Normal", IncidentReason.StepSucceeded, step.name, message);
        return { ...this.#finished(withJob, "Succeeded", message), outputs: { ...observation.outputs } };
      }
      case "failed":
        return this.#attemptEnded(step, withJob, observation.deadlineExceeded ? "TimedOut" : "Failed", observation.message);
    }
  }

  #absentJob(step: CompiledStep, state: StepState, attempt: number, jobName: string): StepState {
    if (state.job !== undefined) {
      return this.#attemptEnded(step, state, "Failed", `Job ${jobName} was deleted before its outcome was read`);
    }
    if (this.#persisted.get(step.name)?.intent?.id !== jobName) return state;
    if (resolveUnknownOutcome(step.kind ?? "job", step.safeToRetry) === "outcome-unknown") {
      const message = `attempt ${attempt}: the outcome of ${jobName} is unknown and the step is not safe to retry`;
      this.#event("Warning", IncidentReason.OutcomeUnknown, step.name, message);
      return this.#finished(state, "Failed", message);
    }
    const manifest = this.#jobManifest(step, attempt);
    if ("error" in manifest) {
      const message = `attempt ${attempt} could not be rendered: ${manifest.error}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished(state, "Failed", message);
    }
    this.effects.push({ kind: "ensureJob", playbook: this.#runName, step: step.name, attempt, job: manifest.job });
    return state;
  }

  #activeJob(step: CompiledStep, state: StepState, intentAt: string | undefined): StepState {
    if (step.timeoutMs === undefined || intentAt === undefined) return state;
    const deadline = Date.parse(intentAt) + step.timeoutMs + JOB_TIMEOUT_GRACE_MS;
    const remaining = deadline - this.#now.getTime();
    if (remaining > 0) {
      this.#recheck(remaining);
      return state;
    }
    return this.#attemptEnded(step, state, "TimedOut", `attempt exceeded its timeout of ${formatDuration(step.timeoutMs)}`);
  }

  #attemptEnded(step: CompiledStep, state: StepState, outcome: "Failed" | "TimedOut", detail: string): StepState {
    const attempts = state.attempts ?? 1;
    const verb = outcome === "TimedOut" ? "timed out" : "failed";
    if (mayRetry(attempts, step.retryLimit) && !this.#failing()) {
      const delay = retryDelayMs(step.retryBackoffMs, attempts);
      const message = `attempt ${attempts} ${verb}: ${detail}; attempt ${attempts + 1} of ${step.retryLimit + 1} in ${formatDuration(delay)}`;
      this.#event("Warning", IncidentReason.StepRetrying, step.name, message);
      this.#recheck(delay);
      return { ...state, phase: "Waiting", finishedAt: this.#now.toISOString(), message: bounded(message, MAX_STEP_MESSAGE_LENGTH) };
    }
    const message = `attempt ${attempts} ${verb}: ${detail}${step.continueOnError ? " (continueOnError: the run goes on)" : ""}`;
    this.#event("Warning", outcome === "TimedOut" ? IncidentReason.StepTimedOut : IncidentReason.StepFailed, step.name, message);
    return this.#finished(state, outcome, message);
  }

  #advanceRetryWait(step: CompiledStep, state: StepState): StepState {
    const attempts = state.attempts ?? 1;
    const endedAt = state.finishedAt === undefined ? this.#now.getTime() : Date.parse(state.finishedAt);
    const remaining = endedAt + retryDelayMs(step.retryBackoffMs, attempts) - this.#now.getTime();
    if (this.#failing()) return state;
    if (remaining > 0) {
      this.#recheck(remaining);
      return state;
    }
    if (!this.#input.mayStart) return state;
    if (step.kind === "action" || step.kind === "connector" || step.kind === "notify") return this.#startEffect(step, state, attempts + 1);
    return this.#startAttempt(step, state, attempts + 1);
  }

  #startApproval(step: CompiledStep, state: StepState): StepState {
    const rendered = renderStepTemplates(step, this.#variables());
    if (!rendered.ok) {
      const message = `approval message could not be rendered: ${rendered.field}: ${rendered.message}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished({ ...state, startedAt: this.#now.toISOString() }, "Failed", message);
    }
    const question = rendered.values.get("approval.message") ?? "approve this step?";
    const waiting: StepState = {
      ...state,
      phase: "Waiting",
      attempts: 1,
      startedAt: this.#now.toISOString(),
      message: bounded(`waiting for approval: ${question}`, MAX_STEP_MESSAGE_LENGTH),
    };
    this.#event("Normal", IncidentReason.ApprovalPending, step.name, waiting.message ?? "");
    return this.#advanceApproval(step, waiting);
  }

  #advanceApproval(step: CompiledStep, state: StepState): StepState {
    const outcome = decideApproval({
      approvals: this.#input.incident.spec.approvals,
      playbook: this.#runName,
      step: step.name,
      waitingSince: state.startedAt === undefined ? this.#now : new Date(state.startedAt),
      timeoutMs: step.approvalTimeoutMs ?? step.timeoutMs,
      onTimeout: step.spec.approval?.onTimeout,
      now: this.#now,
    });
    if (outcome.kind === "waiting") {
      if (outcome.recheckAfterMs !== undefined) this.#recheck(outcome.recheckAfterMs);
      return state;
    }
    const { decision } = outcome;
    const who = decision.timedOut === true ? "on timeout" : `by ${decision.by ?? "unknown"}`;
    const why = outcome.reason === undefined || outcome.reason === "" ? "" : `: ${outcome.reason}`;
    const approved = decision.decision === "approve";
    const message = `${approved ? "approved" : "rejected"} ${who}${why}`;
    const reason =
      decision.timedOut === true ? IncidentReason.ApprovalTimedOut : approved ? IncidentReason.Approved : IncidentReason.Rejected;
    this.#event(approved ? "Normal" : "Warning", reason, step.name, message);
    return { ...this.#finished(state, approved ? "Succeeded" : "Failed", message), decision };
  }

  #intentId(step: CompiledStep, attempt: number): string {
    return sideEffectIntentId({ incidentUid: this.#input.incident.metadata.uid ?? "", playbook: this.#runName, step: step.name, attempt });
  }

  /** Renders and prepares an action, connector or notify step's effect for `attempt`. */
  #prepareEffect(step: CompiledStep, attempt: number): { effect: RunActionEffect | CallConnectorEffect; subject: GuardSubject; what: string } | { error: string } {
    const variables = this.#variables();
    const rendered = renderStepTemplates(step, variables);
    if (!rendered.ok) return { error: `${rendered.field}: ${rendered.message}` };
    const retry = { retryLimit: step.retryLimit, retryBackoffMs: step.retryBackoffMs, continueOnError: step.continueOnError };
    const base = { playbook: this.#runName, step: step.name, attempt, intentId: this.#intentId(step, attempt), retry };
    if (step.kind === "action") {
      const action = prepareActionStep(step, rendered.values, this.#input.incident.spec.resources);
      if (!action.ok) return { error: action.message };
      return {
        effect: { kind: "runAction", ...base, action },
        subject: { kind: "action", action: action.type, target: action.target },
        what: `${action.type} on ${action.target.kind} ${targetRef(action.target)}`,
      };
    }
    const call = prepareCallStep(step, rendered.values, variables);
    if (!call.ok) return { error: call.message };
    return {
      effect: { kind: "callConnector", ...base, connector: call.connector, payload: call.payload },
      subject: { kind: step.kind === "notify" ? "notify" : "connector" },
      what: `call of Connector ${call.connector}`,
    };
  }

  #guard(step: CompiledStep, subject: GuardSubject): GuardDecision {
    const { policy, history } = this.#input.guards;
    const input = guardInputFor({ policy, playbook: this.#input.playbook, history: history(), step, subject, states: this.#states });
    return evaluateGuards(input, { now: () => this.#now });
  }

  #blocked(step: CompiledStep, state: StepState, decision: Extract<GuardDecision, { allowed: false }>): StepState {
    this.refusals.push(decision);
    this.#event("Warning", decision.reason, step.name, decision.message);
    const now = this.#now.toISOString();
    return { ...state, phase: "Blocked", startedAt: state.startedAt ?? now, finishedAt: now, message: bounded(decision.message, MAX_STEP_MESSAGE_LENGTH) };
  }

  /**
   * Starts attempt `attempt` of an action, connector or notify step: renders it, runs the guard
   * chain (a refusal blocks the step), then records the intent and nothing else; the effect is
   * requested once the intent is durable.
   */
  #startEffect(step: CompiledStep, state: StepState, attempt: number): StepState {
    const startedAt = state.startedAt ?? this.#now.toISOString();
    const prepared = this.#prepareEffect(step, attempt);
    if ("error" in prepared) {
      const message = `attempt ${attempt} could not be prepared: ${prepared.error}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished({ ...state, startedAt }, "Failed", message);
    }
    const decision = this.#guard(step, prepared.subject);
    if (!decision.allowed) return this.#blocked(step, { ...state, startedAt }, decision);
    return {
      ...withoutAttemptResults(state),
      phase: "Running",
      attempts: attempt,
      startedAt,
      intent: { attempt, id: prepared.effect.intentId, at: this.#now.toISOString() },
      message: bounded(`attempt ${attempt}: ${prepared.what} is about to run`, MAX_STEP_MESSAGE_LENGTH),
    };
  }

  /**
   * A running action, connector or notify step: once its intent is durable, the effect is
   * requested when this process recorded the intent and has not carried it out yet, or when
   * repeating it is safe (actions are idempotent; connector calls only with `safeToRetry`, and
   * then with the same Idempotency-Key). Otherwise the outcome is unknown and the step fails.
   */
  #advanceEffect(step: CompiledStep, state: StepState, attempt: number, id: string): StepState {
    if (this.#persisted.get(step.name)?.intent?.id !== id) return state;
    if (!this.#input.freshIntents.has(id) && resolveUnknownOutcome(step.kind ?? "connector", step.safeToRetry) === "outcome-unknown") {
      const message = `attempt ${attempt}: the outcome of ${id} is unknown (it may have been carried out before a restart) and the step is not safe to retry`;
      this.#event("Warning", IncidentReason.OutcomeUnknown, step.name, message);
      return this.#finished(state, "Failed", message);
    }
    const prepared = this.#prepareEffect(step, attempt);
    if ("error" in prepared) {
      const message = `attempt ${attempt} could not be prepared: ${prepared.error}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished(state, "Failed", message);
    }
    this.effects.push(prepared.effect);
    return state;
  }

  /** A dry-run step: guards other than dry-run still block it; otherwise it is rendered only. */
  #dryRunGuarded(step: CompiledStep, state: StepState): StepState {
    if (step.kind !== "action" && step.kind !== "connector" && step.kind !== "notify") return this.#dryRun(step, state);
    const started: StepState = { ...state, startedAt: this.#now.toISOString() };
    const prepared = this.#prepareEffect(step, 1);
    if ("error" in prepared) {
      const message = `dry run: ${prepared.error}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished(started, "Failed", message);
    }
    const decision = this.#guard(step, prepared.subject);
    if (!decision.allowed && decision.guard !== "dryRun") return this.#blocked(step, started, decision);
    if (!decision.allowed) this.refusals.push(decision);
    return this.#dryRun(step, state);
  }

  #dryRun(step: CompiledStep, state: StepState): StepState {
    const started: StepState = { ...state, startedAt: this.#now.toISOString() };
    if (step.kind === "job") {
      const manifest = this.#jobManifest(step, 1);
      if ("error" in manifest) {
        const message = `dry run: Job could not be rendered: ${manifest.error}`;
        this.#event("Warning", IncidentReason.StepFailed, step.name, message);
        return this.#finished(started, "Failed", message);
      }
      const message = `dry run: Job ${manifest.job.metadata?.name ?? ""} rendered, not created`;
      this.#event("Normal", IncidentReason.DryRunRendered, step.name, message);
      return { ...this.#finished(started, "Succeeded", message), outputs: jobDryRunOutputs(manifest.job) };
    }
    const rendered = renderStepTemplates(step, this.#variables());
    if (!rendered.ok) {
      const message = `dry run: ${rendered.field}: ${rendered.message}`;
      this.#event("Warning", IncidentReason.StepFailed, step.name, message);
      return this.#finished(started, "Failed", message);
    }
    const outputs: Record<string, string> = { dryRun: "true" };
    for (const [path, value] of rendered.values) {
      if (Object.keys(outputs).length < MAX_OUTPUTS) outputs[path] = bounded(value, MAX_OUTPUT_VALUE_LENGTH);
    }
    const message = `dry run: ${step.kind ?? "step"} step rendered; nothing was requested or called`;
    this.#event("Normal", IncidentReason.DryRunRendered, step.name, message);
    return { ...this.#finished(started, "Succeeded", message), outputs };
  }

  #finishRun(): PlaybookRun {
    const steps = this.#input.playbook.steps;
    const failing = this.#failing();
    const states = steps.map((step) => this.#states.get(step.name) ?? { name: step.name, phase: "Pending" as const });
    const base: PlaybookRun = { ...this.#input.run, steps: states };
    const running = states.some((state) => state.phase === "Running");
    if (failing && !running) return this.#closeFailedRun(base);
    if (states.every(isTerminal)) {
      const message = `all ${states.length} steps finished`;
      this.events.push({ type: "Normal", reason: IncidentReason.RunsSucceeded, message: `run succeeded: ${message}`, playbook: this.#runName });
      return { ...base, phase: "Succeeded", finishedAt: this.#now.toISOString(), message };
    }
    const awaiting = steps.some((step) => step.kind === "approval" && this.#states.get(step.name)?.phase === "Waiting");
    return { ...base, phase: awaiting && !running ? "AwaitingApproval" : "Running" };
  }

  #closeFailedRun(base: PlaybookRun): PlaybookRun {
    const steps = this.#input.playbook.steps;
    const culprit = steps.find((step) => {
      const state = this.#states.get(step.name);
      return state !== undefined && failsRun(state, step);
    });
    const culpritName = culprit?.name ?? "";
    const closed = (base.steps ?? []).map((state): StepState => {
      if (isTerminal(state)) return state;
      if (state.phase === "Waiting" && state.attempts !== undefined && state.intent !== undefined) {
        return this.#finished(state, "Failed", `${state.message ?? "attempt failed"}; not retried because step ${culpritName} failed the run`);
      }
      const message = `not run: step ${culpritName} failed`;
      this.#event("Normal", IncidentReason.StepSkipped, state.name, message);
      return this.#finished(state, "Skipped", message);
    });
    const culpritState = this.#states.get(culpritName);
    const verb = culpritState?.phase === "TimedOut" ? "timed out" : culpritState?.phase === "Blocked" ? "was blocked" : "failed";
    const message = `step ${culpritName} ${verb}`;
    this.events.push({ type: "Warning", reason: IncidentReason.RunFailed, message: `run failed: ${message}`, playbook: this.#runName });
    return { ...base, steps: closed, phase: "Failed", finishedAt: this.#now.toISOString(), message };
  }
}

/**
 * Decides the next state of one playbook run, as a pure function of the persisted run, its
 * pinned compiled Playbook, the observed Jobs, the Incident's approvals and the clock. Steps are
 * visited in topological order, so a step whose needs finish in this pass may start in it too.
 *
 * Contract:
 * - a step starts when every step it needs succeeded, was skipped, or failed with
 *   `continueOnError`; its `when` (CEL over `event`, `incident`, `steps`) false or failing to
 *   evaluate skips it; nothing starts while `mayStart` is false or once the run is failing;
 * - a Job attempt starts by recording an intent (attempt, deterministic Job name, time) and
 *   nothing else: the Job is requested (an `ensureJob` effect) only for intents that were
 *   already persisted, so the intent is durable before the side effect;
 * - a failed or timed-out attempt is retried `retries.limit` times after `retries.backoff`,
 *   doubling, unless the run is failing; the engine times an attempt out itself when its Job
 *   outlives the step timeout by {@link JOB_TIMEOUT_GRACE_MS};
 * - approval steps wait for `spec.approvals` or their timeout (see `decideApproval`); a
 *   rejection fails the step;
 * - in a dry run every step is planned and rendered (Job parameters recorded as outputs) and
 *   succeeds without any effect;
 * - a failing run (a step failed without `continueOnError`) ends once no step is running: the
 *   steps that did not run are Skipped and the run is Failed; a run whose steps all finished
 *   otherwise Succeeded.
 */
export function planRun(input: RunPlanInput): RunPlan {
  return new RunPlanner(input).plan();
}
