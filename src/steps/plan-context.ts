import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";
import type { Incident, PlaybookRun, StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledPlaybook, CompiledStep } from "../playbook/index.ts";
import { evaluateGuards, type GuardDecision, type GuardPolicy, type TenancyVerdict } from "../policy/index.ts";
import { IncidentReason } from "../api/v1alpha1/incident-reasons.ts";
import type { Reason } from "../api/v1alpha1/reasons.ts";
import type { TimelineEvent } from "../api/v1alpha1/timeline.ts";
import { guardInputFor, type GuardSubject } from "./guard-request.ts";
import type { JobObservation } from "./job/job-observation.ts";
import type { StepEffect } from "./step-effects.ts";
import { failsRun } from "./step-outcome.ts";
import { eventVariable, incidentVariable, stepsVariable } from "./step-variables.ts";

/** What observe found for a running Job step's current attempt. */
export type StepObservation = JobObservation | { readonly kind: "absent" };

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
  /** The operator's guard settings, for the chain evaluated before every action, connector and notify step. */
  readonly guardPolicy: GuardPolicy;
  /** The intent ledger's fresh intents for this Incident (see `intent-ledger.ts`). */
  readonly freshIntents: ReadonlySet<string>;
  /** Whether the Incident's `spec.approvals` may be honoured (see `verifyApprovals`). */
  readonly approvals: TenancyVerdict;
}

/** The phases a step finishes in. */
export type FinishedPhase = "Succeeded" | "Failed" | "Skipped" | "TimedOut";

/**
 * What the planners of one run share: the input, the step states as planned so far, and the
 * sinks for effects, timeline events, guard refusals and the recheck delay. Pure: nothing here
 * does I/O, and `now` is the one clock reading of the pass.
 */
export class PlanContext {
  readonly input: RunPlanInput;
  /** Step states as planned so far, by name (persisted ones, or Pending). */
  readonly states = new Map<string, StepState>();
  readonly effects: StepEffect[] = [];
  readonly events: TimelineEvent[] = [];
  readonly refusals: GuardDecision[] = [];
  recheckAfterMs: number | undefined;
  readonly #persisted: ReadonlyMap<string, StepState>;

  constructor(input: RunPlanInput) {
    this.input = input;
    this.#persisted = new Map((input.run.steps ?? []).map((state) => [state.name, state]));
    for (const step of input.playbook.steps) {
      this.states.set(step.name, this.#persisted.get(step.name) ?? { name: step.name, phase: "Pending" });
    }
  }

  get now(): Date {
    return this.input.now;
  }

  /** The run's name, which is its Playbook's name. */
  get runName(): string {
    return this.input.run.name;
  }

  /** The intent id the step carries in the run as persisted: an intent there is durable. */
  durableIntentId(step: CompiledStep): string | undefined {
    return this.#persisted.get(step.name)?.intent?.id;
  }

  /** Asks to look again after `delayMs` at the latest (the earliest request wins). */
  recheck(delayMs: number): void {
    const delay = Math.max(1, Math.ceil(delayMs));
    this.recheckAfterMs = this.recheckAfterMs === undefined ? delay : Math.min(this.recheckAfterMs, delay);
  }

  event(type: TimelineEvent["type"], reason: Reason, step: string, message: string): void {
    this.events.push({ type, reason, message, playbook: this.runName, step });
  }

  /** Whether a step failed the run (failed, timed out or was blocked without `continueOnError`). */
  failing(): boolean {
    return this.input.playbook.steps.some((step) => {
      const state = this.states.get(step.name);
      return state !== undefined && failsRun(state, step);
    });
  }

  /** The variables templates and `when` see: `event`, `incident` and `steps` as planned so far. */
  variables(): Record<string, unknown> {
    const run: PlaybookRun = { ...this.input.run, steps: [...this.states.values()] };
    return {
      event: eventVariable(this.input.incident),
      incident: incidentVariable(this.input.incident),
      steps: stepsVariable(run),
    };
  }

  /** `state` finished now in `phase`, with its message bounded. */
  finished(state: StepState, phase: FinishedPhase, message: string): StepState {
    return { ...state, phase, finishedAt: this.now.toISOString(), message: boundText(message, MAX_MESSAGE_LENGTH) };
  }

  /** `state` Failed now, with a Warning event (reason StepFailed unless given). */
  failed(step: CompiledStep, state: StepState, message: string, reason: Reason = IncidentReason.StepFailed): StepState {
    this.event("Warning", reason, step.name, message);
    return this.finished(state, "Failed", message);
  }

  /** Runs the guard chain for `step` about to take its side effect on `subject`. */
  guard(step: CompiledStep, subject: GuardSubject): GuardDecision {
    const input = guardInputFor({ policy: this.input.guardPolicy, playbook: this.input.playbook, step, subject, states: this.states });
    return evaluateGuards(input, { now: () => this.now });
  }

  /** `state` Blocked by a guard refusal, which is recorded for the metric and the timeline. */
  blocked(step: CompiledStep, state: StepState, decision: Extract<GuardDecision, { allowed: false }>): StepState {
    this.refusals.push(decision);
    this.event("Warning", decision.reason, step.name, decision.message);
    const now = this.now.toISOString();
    return { ...state, phase: "Blocked", startedAt: state.startedAt ?? now, finishedAt: now, message: boundText(decision.message, MAX_MESSAGE_LENGTH) };
  }
}
