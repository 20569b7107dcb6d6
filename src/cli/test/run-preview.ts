import { ConditionType } from "../../api/v1alpha1/constants.ts";
import { isRunFinished } from "../../api/v1alpha1/lifecycle.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { Incident, Playbook, PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";
import type { CompiledPlaybook, PlaybookCompiler } from "../../playbook/index.ts";
import type { GuardPolicy } from "../../policy/index.ts";
import { planRun } from "../../reconcilers/incident/plan.ts";
import { triage } from "../../reconcilers/incident/triage.ts";
import { applyEffectOutcome } from "../../steps/effect-outcome.ts";
import type { JobObservation } from "../../steps/job/job-observation.ts";
import type { StepObservation } from "../../steps/plan-context.ts";
import type { StepEffect } from "../../steps/step-effects.ts";
import { EFFECT_STEP_KINDS } from "../../steps/step-kinds.ts";

/** Who the simulated approvals name: every approval step of a test is approved. */
export const TEST_APPROVER = "kubectl-soar-test";

/** What one step did in the simulated run. */
export interface SimulatedStep {
  readonly name: string;
  /** The step's state when the run ended (or could go no further). */
  readonly state: StepState;
  /** The first side effect the engine asked for: the Job, the action or the Connector call. */
  readonly effect: StepEffect | undefined;
  /** The step's timeline entries, in order. */
  readonly events: readonly TimelineEvent[];
  /** The outputs the simulation gave the step when it succeeded (see `outputsFor`). */
  readonly outputs: Readonly<Record<string, string>> | undefined;
}

/** The simulated run: why it did not start, or its end state and every step. */
export interface SimulatedRun {
  readonly run: PlaybookRun;
  readonly steps: readonly SimulatedStep[];
  readonly events: readonly TimelineEvent[];
}

/** What the simulation needs. */
export interface RunSimulationInput {
  /** The Incident intake would open, with `spec.playbooks` naming the Playbook. */
  readonly incident: Incident;
  readonly playbook: Playbook;
  readonly compiler: PlaybookCompiler;
  readonly guardPolicy: GuardPolicy;
  readonly paused: boolean;
  readonly now: Date;
  /** The outputs a step hands on when its side effect succeeds. */
  readonly outputsFor: (step: string) => Readonly<Record<string, string>>;
}

/** Most passes of the engine one simulation runs; a run of 32 steps needs about three per step. */
const MAX_PASSES = 256;

/** The Playbook as its reconciler leaves it when it compiled: generation processed and Ready. */
function readyPlaybook(playbook: Playbook, now: Date): Playbook {
  const generation = playbook.metadata.generation ?? 1;
  return {
    ...playbook,
    metadata: { ...playbook.metadata, generation },
    status: {
      observedGeneration: generation,
      conditions: [{ type: ConditionType.Ready, status: "True", reason: Reason.Succeeded, message: "compiled", observedGeneration: generation, lastTransitionTime: now.toISOString() }],
    },
  };
}

/** Every approval step of the Playbook approved, as a person writes it into `spec.approvals`. */
function approvedAll(incident: Incident, compiled: CompiledPlaybook, now: Date): Incident {
  const approvals = compiled.steps
    .filter((step) => step.kind === "approval")
    .map((step) => ({ playbook: compiled.name, step: step.name, decision: "approve" as const, by: TEST_APPROVER, at: now.toISOString() }));
  return approvals.length === 0 ? incident : { ...incident, spec: { ...incident.spec, approvals } };
}

/** The observations `observe` would make: no Job yet for a running Job step, or the simulated one. */
function observationsOf(run: PlaybookRun, compiled: CompiledPlaybook, jobs: ReadonlyMap<string, JobObservation>): Map<string, StepObservation> {
  const observations = new Map<string, StepObservation>();
  for (const state of run.steps ?? []) {
    const step = compiled.steps.find((candidate) => candidate.name === state.name);
    if (step?.kind !== "job" || state.phase !== "Running") continue;
    observations.set(state.name, jobs.get(state.name) ?? { kind: "absent" });
  }
  return observations;
}

function replaceStep(run: PlaybookRun, next: StepState): PlaybookRun {
  return { ...run, steps: (run.steps ?? []).map((state) => (state.name === next.name ? next : state)) };
}

/**
 * Runs a Playbook on an Incident through the operator's own triage and run planner
 * (`triage`, `planRun`), pass after pass as its reconciles would, with the world simulated:
 * every approval step is approved (by {@link TEST_APPROVER}); every Job the engine asks for
 * succeeds and every action and Connector call succeeds, each with the outputs `outputsFor`
 * gives its step. Nothing is created or called. The run ends when the engine finishes it or
 * can go no further (a paused operator, a step that waits). Pure.
 */
export function simulateRun(input: RunSimulationInput): SimulatedRun {
  const { now, compiler } = input;
  const ready = readyPlaybook(input.playbook, now);
  const compiled = compiler.compile(ready);
  const incident = approvedAll(input.incident, compiled, now);
  const history = () => ({ otherRunStarts: [], otherActiveIncidents: 0 });
  const lookup = (namespace: string, name: string): Playbook | undefined =>
    namespace === (incident.metadata.namespace ?? "") && name === compiled.name ? ready : undefined;
  const triaged = triage({ incident, now, playbooks: lookup, compiler, operatorDryRun: input.guardPolicy.dryRun, criticalReservePercent: 0, history });
  const events: TimelineEvent[] = [...triaged.events];
  const effects = new Map<string, StepEffect>();
  const outputs = new Map<string, Readonly<Record<string, string>>>();
  const jobs = new Map<string, JobObservation>();
  let run = triaged.runs.find((candidate) => candidate.name === compiled.name) ?? { name: compiled.name, phase: "Pending" };
  let fresh = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES && run.phase === "Running" && !isRunFinished(run); pass++) {
    const planned = planRun({
      now,
      incident,
      run,
      playbook: compiled,
      observations: observationsOf(run, compiled, jobs),
      mayStart: !input.paused,
      guardPolicy: input.guardPolicy,
      freshIntents: fresh,
      approvals: { verified: true },
    });
    events.push(...planned.events);
    let next = planned.run;
    for (const effect of planned.effects) {
      if (!effects.has(effect.step)) effects.set(effect.step, effect);
      const state = next.steps?.find((candidate) => candidate.name === effect.step);
      if (state === undefined) continue;
      const given = input.outputsFor(effect.step);
      outputs.set(effect.step, given);
      if (effect.kind === "ensureJob") {
        const name = effect.job.metadata?.name ?? "";
        jobs.set(effect.step, { kind: "succeeded", outputs: given, note: undefined, finishedAt: now.toISOString() });
        next = replaceStep(next, { ...state, job: name, message: `attempt ${effect.attempt}: Job ${name} created` });
      } else {
        next = replaceStep(next, applyEffectOutcome(state, { ok: true, message: "carried out", outputs: given }, effect.retry, now).state);
      }
    }
    const known = new Set((run.steps ?? []).flatMap((state) => (state.intent === undefined ? [] : [state.intent.id])));
    fresh = new Set(
      (next.steps ?? []).flatMap((state) => {
        const kind = compiled.steps.find((step) => step.name === state.name)?.kind;
        const guarded = kind !== undefined && EFFECT_STEP_KINDS.has(kind);
        return state.phase === "Running" && state.intent !== undefined && guarded && !known.has(state.intent.id) ? [state.intent.id] : [];
      }),
    );
    const progressed = JSON.stringify(next) !== JSON.stringify(run);
    run = next;
    if (!progressed) break;
  }
  const steps = compiled.steps.map((step): SimulatedStep => ({
    name: step.name,
    state: run.steps?.find((state) => state.name === step.name) ?? { name: step.name, phase: "Pending" },
    effect: effects.get(step.name),
    events: events.filter((event) => event.step === step.name),
    outputs: outputs.get(step.name),
  }));
  return { run, steps, events: events.filter((event) => event.step === undefined) };
}
