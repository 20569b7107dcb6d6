import type { Incident, StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../playbook/index.ts";
import type { TimelineEvent } from "../api/v1alpha1/timeline.ts";
import type { EffectDeps } from "./effect-execution.ts";
import type { JobClient } from "./job/job-client.ts";
import type { PlanContext } from "./plan-context.ts";
import type { StepEffect } from "./step-effects.ts";

/** The intent a Running step recorded before its side effect. */
export type RecordedIntent = NonNullable<StepState["intent"]>;

/** What carrying out an effect needs. */
export interface ExecuteContext {
  readonly incident: Incident;
  readonly jobs: JobClient;
  readonly calls: EffectDeps;
  readonly now: Date;
}

/** The step's next state once its effect was carried out (or refused), and what happened. */
export interface ExecutedEffect {
  readonly state: StepState;
  readonly event: Omit<TimelineEvent, "playbook" | "step">;
  /** False when the side effect did not happen (the API rejected the request). */
  readonly carriedOut: boolean;
}

/** How execute carries out one kind of effect. */
export interface EffectExecutor<E extends StepEffect = StepEffect> {
  readonly effect: E["kind"];
  /** The deterministic name of what the effect creates or calls under (for hooks and logs). */
  name(effect: E): string;
  /**
   * Carries the effect out and records its outcome in `state`. Failures of the side effect
   * are values; only an error worth retrying the whole reconcile for is thrown.
   */
  execute(effect: E, state: StepState, context: ExecuteContext): Promise<ExecutedEffect>;
}

/**
 * Everything the engine knows about one step kind: how a step of the kind is planned in each
 * phase (pure, through the {@link PlanContext}) and how its side effect is carried out. Adding
 * a step kind means one folder under `steps/` with its definition, a row in `STEP_KINDS`, and
 * the schema.
 */
export interface StepKindDefinition {
  /**
   * True for kinds whose side effect leaves the Job machinery (actions, connector calls,
   * notifications): the guard chain runs before each attempt and their intents go through the
   * intent ledger, because repeating them may not be harmless.
   */
  readonly guarded: boolean;
  /** A Pending step whose needs are met, in a run that is not a dry run: starts attempt 1. */
  start(plan: PlanContext, step: CompiledStep, state: StepState): StepState;
  /** A Running step with its recorded intent: requests the side effect or reads its outcome. */
  advanceRunning(plan: PlanContext, step: CompiledStep, state: StepState, intent: RecordedIntent): StepState;
  /** A Waiting step: a retry backing off, or an approval waiting for its decision. */
  advanceWaiting(plan: PlanContext, step: CompiledStep, state: StepState): StepState;
  /** A Pending step of a dry run: rendered (and guarded), never carried out. */
  dryRun(plan: PlanContext, step: CompiledStep, state: StepState): StepState;
  /** How the kind's effect is carried out; undefined for kinds without a side effect. */
  readonly executor?: EffectExecutor | undefined;
}
