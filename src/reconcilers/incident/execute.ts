import type { PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import type { StepEffect } from "../../steps/step-effects.ts";
import type { ExecuteContext } from "../../steps/step-kind.ts";
import { executorOf } from "../../steps/step-kinds.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";

/** Identifies one side effect, for hooks and logs. */
export interface SideEffectRef {
  readonly namespace: string;
  readonly incident: string;
  readonly playbook: string;
  readonly step: string;
  readonly attempt: number;
  /** The deterministic name of the object the effect creates (or of the call's intent). */
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

/** What execute needs: what the step kinds' executors need, the planned runs and effects. */
export interface ExecuteInput extends ExecuteContext {
  /** The runs as planned. */
  readonly runs: readonly PlaybookRun[];
  readonly effects: readonly StepEffect[];
  readonly hooks: StepHooks | undefined;
}

/** The runs with the effects' outcomes recorded, and what happened. */
export interface ExecuteResult {
  readonly runs: readonly PlaybookRun[];
  readonly events: readonly TimelineEvent[];
}

function stateOf(runs: readonly PlaybookRun[], playbook: string, step: string): StepState {
  return runs.find((run) => run.name === playbook)?.steps?.find((state) => state.name === step) ?? { name: step, phase: "Running" };
}

function replaceStep(runs: readonly PlaybookRun[], playbook: string, next: StepState): PlaybookRun[] {
  return runs.map((run) =>
    run.name !== playbook ? run : { ...run, steps: (run.steps ?? []).map((state) => (state.name === next.name ? next : state)) },
  );
}

/**
 * Execute: carries out the effects plan asked for, which only ever concern intents already
 * durable in status, each through the executor of the step kind that planned it (see
 * `steps/step-kinds.ts`), and records each outcome in its step. The `beforeSideEffect` hook
 * runs before each effect, `afterSideEffect` after each one that happened. An executor error
 * (an API failure worth retrying) propagates, and nothing of this pass is recorded.
 */
export async function execute(input: ExecuteInput): Promise<ExecuteResult> {
  let runs = [...input.runs];
  const events: TimelineEvent[] = [];
  const namespace = input.incident.metadata.namespace ?? "";
  const incident = input.incident.metadata.name ?? "";
  for (const effect of input.effects) {
    const executor = executorOf(effect);
    const ref: SideEffectRef = { namespace, incident, playbook: effect.playbook, step: effect.step, attempt: effect.attempt, name: executor.name(effect) };
    await input.hooks?.beforeSideEffect?.(ref);
    const executed = await executor.execute(effect, stateOf(runs, effect.playbook, effect.step), input);
    if (executed.carriedOut) await input.hooks?.afterSideEffect?.(ref);
    runs = replaceStep(runs, effect.playbook, executed.state);
    events.push({ ...executed.event, playbook: effect.playbook, step: effect.step });
  }
  return { runs, events };
}

