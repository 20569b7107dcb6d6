import { ConditionType } from "../../api/v1alpha1/constants.ts";
import type { Incident, Playbook, PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import { isRunFinished, isStepTerminal } from "../../api/v1alpha1/lifecycle.ts";
import type { CompiledPlaybook, PlaybookCompiler } from "../../playbook/index.ts";
import { decideRunStart, runLimitsOf, type RunHistory, type RunStartDecision } from "../../policy/index.ts";
import { findCondition } from "../conditions.ts";
import type { PlaybookWait } from "./condition-summary.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";

/** Finds a Playbook by namespace and name (an informer cache). */
export type PlaybookLookup = (namespace: string, name: string) => Playbook | undefined;

/** What triage needs. */
export interface TriageInput {
  readonly incident: Incident;
  readonly now: Date;
  readonly playbooks: PlaybookLookup;
  readonly compiler: PlaybookCompiler;
  /** The operator-wide dry-run switch; a run is dry when it or the Playbook says so. */
  readonly operatorDryRun: boolean;
  /** The share of each `maxActiveIncidents` only critical Incidents may use (see `decideRunStart`). */
  readonly criticalReservePercent: number;
  /**
   * What Playbook `playbook` has been doing in the other Incidents of the namespace; read only
   * when a run of a Playbook with a rate limit or an active-incident cap is about to start.
   */
  readonly history: (playbook: string) => RunHistory;
}

/** A run to plan, with the compiled generation it is pinned to. */
export interface ActiveRun {
  readonly run: PlaybookRun;
  readonly playbook: CompiledPlaybook;
}

/** The runs after triage and what it found. */
export interface TriageResult {
  /** Every run, in the order of `spec.playbooks`, then runs of Playbooks no longer listed. */
  readonly runs: readonly PlaybookRun[];
  /** Runs in progress with their pinned compiled Playbook, for planning. */
  readonly active: readonly ActiveRun[];
  readonly waits: readonly PlaybookWait[];
  readonly events: readonly TimelineEvent[];
  /** Runs not started because of a Playbook limit, for the guard refusal metric. */
  readonly refusals: readonly Extract<RunStartDecision, { allowed: false }>[];
}

/** Whether a Playbook's current generation may run, and why not. */
export type Readiness = { readonly ready: true } | { readonly ready: false; readonly stalled: boolean; readonly message: string };

/** Whether the Playbook reconciler found the Playbook's current generation Ready. */
export function readinessOf(playbook: Playbook, compiled: CompiledPlaybook): Readiness {
  const name = playbook.metadata.name ?? "";
  const generation = playbook.metadata.generation ?? 0;
  const ready = findCondition(playbook.status?.conditions, ConditionType.Ready);
  if ((playbook.status?.observedGeneration ?? 0) !== generation || ready?.observedGeneration !== generation) {
    return { ready: false, stalled: false, message: `Playbook ${name} generation ${generation} is not processed yet` };
  }
  if (ready.status !== "True") {
    return { ready: false, stalled: true, message: `Playbook ${name} is not Ready (${ready.reason}): ${ready.message}` };
  }
  if (compiled.problems.length > 0 || compiled.graph === undefined) {
    return { ready: false, stalled: true, message: `Playbook ${name} does not compile: ${compiled.problems[0]?.message ?? "no step graph"}` };
  }
  return { ready: true };
}

/** Ends a run that cannot go on: running steps fail, steps that did not run are skipped. */
function stopRun(run: PlaybookRun, message: string, now: Date): PlaybookRun {
  const at = now.toISOString();
  const steps = (run.steps ?? []).map((step): StepState => {
    if (isStepTerminal(step)) return step;
    if (step.phase === "Running") {
      const leftover = step.job === undefined ? "" : `; Job ${step.job} was left to finish on its own`;
      return { ...step, phase: "Failed", finishedAt: at, message: `run stopped: ${message}${leftover}` };
    }
    return { ...step, phase: "Skipped", finishedAt: at, message: `not run: ${message}` };
  });
  return { ...run, steps, phase: "Failed", finishedAt: at, message };
}

function startRun(name: string, compiled: CompiledPlaybook, dryRun: boolean, now: Date): PlaybookRun {
  return {
    name,
    generation: compiled.generation,
    phase: "Running",
    startedAt: now.toISOString(),
    ...(dryRun ? { dryRun: true } : {}),
    steps: compiled.steps.map((step): StepState => ({ name: step.name, phase: "Pending" })),
  };
}

/** The Playbook a pinned run may go on with, or why it cannot. */
type PinCheck =
  | { readonly ok: true; readonly playbook: Playbook }
  | { readonly ok: false; readonly reason: string; readonly message: string };

function checkPin(run: PlaybookRun, playbook: Playbook | undefined): PinCheck {
  if (playbook === undefined) {
    return { ok: false, reason: IncidentReason.PlaybookNotFound, message: `Playbook ${run.name} was deleted during the run` };
  }
  const generation = playbook.metadata.generation ?? 0;
  if (generation !== run.generation) {
    return {
      ok: false,
      reason: IncidentReason.PlaybookChanged,
      message: `Playbook ${run.name} changed from generation ${run.generation ?? 0} to ${generation} during the run`,
    };
  }
  const created = playbook.metadata.creationTimestamp;
  const createdAt = created === undefined ? Number.NaN : new Date(created).getTime();
  if (run.startedAt !== undefined && createdAt > Date.parse(run.startedAt)) {
    return { ok: false, reason: IncidentReason.PlaybookChanged, message: `Playbook ${run.name} was recreated during the run` };
  }
  return { ok: true, playbook };
}

/**
 * Triage: turns `spec.playbooks` into runs pinned to a Playbook generation.
 * - A Playbook without a run starts one when its current generation is Ready (processed by the
 *   Playbook reconciler and compiling): the run records that generation, whether it is a dry
 *   run (the Playbook's `dryRun` or the operator's) and a Pending state per step. A missing
 *   Playbook fails the run (PlaybookNotFound), a suspended one skips it (Suspended), one that
 *   is not Ready leaves it Pending and is reported as a wait (stalled when found invalid). A
 *   Ready Playbook over its `rateLimit` or `maxActiveIncidents` (see `decideRunStart`) skips
 *   the run with a Warning (RateLimited, TooManyActiveIncidents) and a refusal: none of its
 *   steps runs. Dry runs are limited and counted like any other.
 * - A run in progress goes on only with the generation it pinned: when the Playbook was
 *   deleted, edited (another generation) or recreated since the run started, the run fails
 *   with PlaybookNotFound or PlaybookChanged. Jobs already created are left to finish; they
 *   are owned by the Incident. The compiled form is never taken from another generation.
 * - Finished runs are kept as they are.
 */
export function triage(input: TriageInput): TriageResult {
  const namespace = input.incident.metadata.namespace ?? "";
  const existing = new Map((input.incident.status?.playbooks ?? []).map((run) => [run.name, run]));
  const names = [...new Set(input.incident.spec.playbooks ?? [])];
  const runs: PlaybookRun[] = [];
  const active: ActiveRun[] = [];
  const waits: PlaybookWait[] = [];
  const events: TimelineEvent[] = [];
  const refusals: Extract<RunStartDecision, { allowed: false }>[] = [];

  for (const name of names) {
    const run = existing.get(name);
    existing.delete(name);
    const playbook = input.playbooks(namespace, name);
    if (run !== undefined && isRunFinished(run)) {
      runs.push(run);
      continue;
    }
    if (run !== undefined && run.phase !== "Pending") {
      const pin = checkPin(run, playbook);
      if (!pin.ok) {
        events.push({ type: "Warning", reason: pin.reason, message: pin.message, playbook: name });
        runs.push(stopRun(run, pin.message, input.now));
        continue;
      }
      const compiled = input.compiler.compile(pin.playbook);
      runs.push(run);
      active.push({ run, playbook: compiled });
      continue;
    }
    if (playbook === undefined) {
      const message = `Playbook ${name} does not exist in namespace ${namespace}`;
      events.push({ type: "Warning", reason: IncidentReason.PlaybookNotFound, message, playbook: name });
      runs.push({ name, phase: "Failed", finishedAt: input.now.toISOString(), message });
      continue;
    }
    if (playbook.spec.suspend === true) {
      const message = `Playbook ${name} is suspended; the run was not started`;
      events.push({ type: "Normal", reason: IncidentReason.Suspended, message, playbook: name });
      runs.push({ name, phase: "Skipped", finishedAt: input.now.toISOString(), message });
      continue;
    }
    const compiled = input.compiler.compile(playbook);
    const readiness = readinessOf(playbook, compiled);
    if (!readiness.ready) {
      waits.push({ playbook: name, stalled: readiness.stalled, message: readiness.message });
      runs.push({ name, phase: "Pending", message: readiness.message });
      continue;
    }
    const limit = decideRunStart({
      playbook: name,
      limits: runLimitsOf(playbook.spec),
      severity: input.incident.spec.severity,
      criticalReservePercent: input.criticalReservePercent,
      history: () => input.history(name),
      now: input.now,
    });
    if (!limit.allowed) {
      events.push({ type: "Warning", reason: limit.reason, message: limit.message, playbook: name });
      refusals.push(limit);
      runs.push({ name, phase: "Skipped", finishedAt: input.now.toISOString(), message: limit.message });
      continue;
    }
    const started = startRun(name, compiled, compiled.dryRun || input.operatorDryRun, input.now);
    const dry = started.dryRun === true ? " (dry run)" : "";
    events.push({ type: "Normal", reason: IncidentReason.RunStarted, message: `run pinned to generation ${compiled.generation}${dry}`, playbook: name });
    runs.push(started);
    active.push({ run: started, playbook: compiled });
  }
  runs.push(...existing.values());
  return { runs, active, waits, events, refusals };
}
