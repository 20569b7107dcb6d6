import type { PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import { evaluateBool } from "../../expr/index.ts";
import type { CompiledStep } from "../../playbook/index.ts";
import type { GuardDecision } from "../../policy/index.ts";
import { dryRunRendered } from "../../steps/dry-run.ts";
import { PlanContext, type RunPlanInput } from "../../steps/plan-context.ts";
import type { StepEffect } from "../../steps/step-effects.ts";
import { STEP_KINDS } from "../../steps/step-kinds.ts";
import { isStepTerminal } from "../../api/v1alpha1/lifecycle.ts";
import { failsRun, satisfiesNeeds } from "../../steps/step-outcome.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";

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

/** The run graph: which step may advance, in which order, and how the run ends. */
class RunPlanner {
  readonly #plan: PlanContext;
  readonly #steps: ReadonlyMap<string, CompiledStep>;

  constructor(input: RunPlanInput) {
    this.#plan = new PlanContext(input);
    this.#steps = new Map(input.playbook.steps.map((step) => [step.name, step]));
  }

  plan(): RunPlan {
    const plan = this.#plan;
    for (const name of plan.input.playbook.graph?.order ?? []) {
      const step = this.#steps.get(name);
      const state = plan.states.get(name);
      if (step !== undefined && state !== undefined) plan.states.set(name, this.#advance(step, state));
    }
    return { run: this.#finishRun(), effects: plan.effects, events: plan.events, refusals: plan.refusals, recheckAfterMs: plan.recheckAfterMs };
  }

  #advance(step: CompiledStep, state: StepState): StepState {
    if (isStepTerminal(state)) return state;
    const plan = this.#plan;
    // A step without a kind never leaves Pending; the Job kind is the default of older states.
    const kind = STEP_KINDS[step.kind ?? "job"];
    switch (state.phase) {
      case "Running":
        if (state.intent === undefined) {
          return plan.failed(step, state, "step was Running without a recorded intent; its outcome is unknown", IncidentReason.OutcomeUnknown);
        }
        return kind.advanceRunning(plan, step, state, state.intent);
      case "Waiting":
        return kind.advanceWaiting(plan, step, state);
      default:
        return this.#advancePending(step, state);
    }
  }

  #advancePending(step: CompiledStep, state: StepState): StepState {
    const plan = this.#plan;
    const dependencies = plan.input.playbook.graph?.dependencies.get(step.name) ?? [];
    for (const needed of dependencies) {
      const neededState = plan.states.get(needed);
      const neededStep = this.#steps.get(needed);
      if (neededState === undefined || neededStep === undefined || !isStepTerminal(neededState)) return state;
      if (!satisfiesNeeds(neededState, neededStep)) return state;
    }
    if (plan.failing()) return state;
    if (step.when !== undefined) {
      const result = evaluateBool(step.when, plan.variables());
      if (!result.ok || !result.value) {
        const message = result.ok ? "when evaluated to false" : `when could not be evaluated: ${result.message}`;
        plan.event("Normal", IncidentReason.StepSkipped, step.name, message);
        return plan.finished(state, "Skipped", message);
      }
    }
    if (!plan.input.mayStart) return state;
    const kind = step.kind === undefined ? undefined : STEP_KINDS[step.kind];
    if (plan.input.run.dryRun === true) return kind === undefined ? dryRunRendered(plan, step, state) : kind.dryRun(plan, step, state);
    if (kind !== undefined) return kind.start(plan, step, state);
    const message = "the step sets no kind (exactly one of job, action, connector, approval or notify)";
    return plan.failed(step, { ...state, startedAt: plan.now.toISOString() }, message);
  }

  #finishRun(): PlaybookRun {
    const plan = this.#plan;
    const steps = plan.input.playbook.steps;
    const failing = plan.failing();
    const states = steps.map((step) => plan.states.get(step.name) ?? { name: step.name, phase: "Pending" as const });
    const base: PlaybookRun = { ...plan.input.run, steps: states };
    const running = states.some((state) => state.phase === "Running");
    if (failing && !running) return this.#closeFailedRun(base);
    if (states.every(isStepTerminal)) {
      const message = `all ${states.length} steps finished`;
      plan.events.push({ type: "Normal", reason: IncidentReason.RunsSucceeded, message: `run succeeded: ${message}`, playbook: plan.runName });
      return { ...base, phase: "Succeeded", finishedAt: plan.now.toISOString(), message };
    }
    const awaiting = steps.some((step) => step.kind === "approval" && plan.states.get(step.name)?.phase === "Waiting");
    return { ...base, phase: awaiting && !running ? "AwaitingApproval" : "Running" };
  }

  #closeFailedRun(base: PlaybookRun): PlaybookRun {
    const plan = this.#plan;
    const culprit = plan.input.playbook.steps.find((step) => {
      const state = plan.states.get(step.name);
      return state !== undefined && failsRun(state, step);
    });
    const culpritName = culprit?.name ?? "";
    const closed = (base.steps ?? []).map((state): StepState => {
      if (isStepTerminal(state)) return state;
      if (state.phase === "Waiting" && state.attempts !== undefined && state.intent !== undefined) {
        return plan.finished(state, "Failed", `${state.message ?? "attempt failed"}; not retried because step ${culpritName} failed the run`);
      }
      const message = `not run: step ${culpritName} failed`;
      plan.event("Normal", IncidentReason.StepSkipped, state.name, message);
      return plan.finished(state, "Skipped", message);
    });
    const culpritState = plan.states.get(culpritName);
    const verb = culpritState?.phase === "TimedOut" ? "timed out" : culpritState?.phase === "Blocked" ? "was blocked" : "failed";
    const message = `step ${culpritName} ${verb}`;
    plan.events.push({ type: "Warning", reason: IncidentReason.RunFailed, message: `run failed: ${message}`, playbook: plan.runName });
    return { ...base, steps: closed, phase: "Failed", finishedAt: plan.now.toISOString(), message };
  }
}

/**
 * Decides the next state of one playbook run, as a pure function of the persisted run, its
 * pinned compiled Playbook, the observed Jobs, the Incident's approvals and the clock. Steps are
 * visited in topological order, so a step whose needs finish in this pass may start in it too;
 * each step is advanced by its kind's definition in `steps/`.
 *
 * Contract:
 * - a step starts when every step it needs succeeded, was skipped, or failed with
 *   `continueOnError`; its `when` (CEL over `event`, `incident`, `steps`) false or failing to
 *   evaluate skips it; nothing starts while `mayStart` is false or once the run is failing;
 * - an attempt starts by recording an intent (attempt, deterministic id, time) and nothing
 *   else: its side effect is requested only for intents that were already persisted, so the
 *   intent is durable before the side effect (see `steps/intent-ledger.ts`);
 * - a failed or timed-out attempt is retried `retries.limit` times after `retries.backoff`,
 *   doubling, unless the run is failing; the engine times a Job attempt out itself when its Job
 *   outlives the step timeout by `JOB_TIMEOUT_GRACE_MS`;
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
