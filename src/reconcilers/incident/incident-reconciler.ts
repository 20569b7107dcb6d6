import type { V1Job } from "@kubernetes/client-node";
import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import type { Incident, IncidentStatus, Playbook, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import type { EffectDeps } from "../../steps/effect-execution.ts";
import { IntentLedger, newIntents, type NewIntent } from "../../steps/intent-ledger.ts";
import type { JobClient } from "../../steps/job/job-client.ts";
import type { StepEffect } from "../../steps/step-effects.ts";
import { EFFECT_STEP_KINDS } from "../../steps/step-kinds.ts";
import type { StepKind } from "../../playbook/index.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { UndoContext } from "../../actions/index.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import type { GuardDecision, GuardMetrics, GuardPolicy, RunHistory, RunStartDecision, TenancyVerdict } from "../../policy/index.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { splitObjectKey } from "../../runtime/object-key.ts";
import type { EventRecorder } from "../event-recorder.ts";
import { OwnStatusWrites } from "../own-status-writes.ts";
import type { StatusWriter } from "../status-writer.ts";
import { close } from "./close.ts";
import { execute, type StepHooks } from "./execute.ts";
import { decideGuards } from "./guards.ts";
import { recordTransitions, type IncidentMetrics } from "./incident-metrics.ts";
import { observe, type RunObservations } from "./observe.ts";
import { planRun } from "./plan.ts";
import { revert } from "./revert.ts";
import type { PlaybookWait } from "./condition-summary.ts";
import { triage, type ActiveRun } from "./triage.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";
import type { LifecycleAnnouncer } from "../lifecycle-events/lifecycle-announcer.ts";
import type { EscalationLevel } from "../lifecycle-events/pending-events.ts";
import { announce } from "./announce.ts";

/** How often an Incident with work in progress is looked at even when nothing changes. */
export const INCIDENT_SAFETY_RECHECK_MS = 5 * 60 * 1000;

/** Everything the Incident reconcile reads from and writes to, injected. */
export interface IncidentReconcilerDeps {
  /** The cached Incident of a `namespace/name` key. */
  readonly incident: (key: string) => Incident | undefined;
  readonly playbook: (namespace: string, name: string) => Playbook | undefined;
  readonly cachedJob: (namespace: string, name: string) => V1Job | undefined;
  readonly jobs: JobClient;
  readonly writeStatus: StatusWriter;
  readonly events: EventRecorder;
  readonly compiler: PlaybookCompiler;
  readonly metrics: IncidentMetrics;
  readonly clock: Clock;
  /** The operator-wide dry-run and pause switches. */
  readonly dryRun: boolean;
  readonly paused: boolean;
  /** The share of each `maxActiveIncidents` only critical Incidents may use. */
  readonly criticalReservePercent: number;
  readonly hooks?: StepHooks | undefined;
  /** What action, connector and notify steps need (the reconcile adds its abort signal). */
  readonly calls: Omit<EffectDeps, "signal">;
  /** Operator-wide guard settings: protected namespaces, privileged namespace, approvals. */
  readonly guardPolicy: GuardPolicy;
  readonly guardMetrics: GuardMetrics;
  /** Whether an Incident's `spec.approvals` may be honoured (see `TenancyCheck`). */
  readonly approvalsTenancy: (incident: Incident) => TenancyVerdict;
  /** What a Playbook has been doing in the other Incidents of the namespace, for its run-start limits. */
  readonly history: (namespace: string, playbook: string, incident: string) => RunHistory;
  /** What undoing actions needs, when a resolved Incident asks for a revert. */
  readonly undo: UndoContext;
  /** Publishes lifecycle CloudEvents; absent when they are not published. */
  readonly announcer?: LifecycleAnnouncer | undefined;
  /** How escalation reports the level an Incident reached; absent while nothing escalates. */
  readonly escalationLevel?: EscalationLevel | undefined;
}

/** The next state of every run of an Incident and what must happen for it. */
interface PlannedRuns {
  readonly runs: PlaybookRun[];
  readonly effects: StepEffect[];
  readonly events: TimelineEvent[];
  readonly refusals: GuardDecision[];
  readonly recheckAfterMs: number | undefined;
}

interface PlanRunsInput {
  readonly incident: Incident;
  readonly observations: RunObservations;
  readonly mayStart: boolean;
  readonly now: Date;
  readonly deps: IncidentReconcilerDeps;
  readonly freshIntents: ReadonlySet<string>;
}

/** Plans every active run (see `planRun`); finished runs are kept as they are. */
function planRuns(context: PlanRunsInput, runs: readonly PlaybookRun[], active: readonly ActiveRun[]): PlannedRuns {
  const { incident, observations, mayStart, now, deps, freshIntents } = context;
  const byName = new Map(active.map((entry) => [entry.run.name, entry]));
  const planned: PlannedRuns = { runs: [], effects: [], events: [], refusals: [], recheckAfterMs: undefined };
  let recheck: number | undefined;
  for (const run of runs) {
    const entry = byName.get(run.name);
    if (entry === undefined) {
      planned.runs.push(run);
      continue;
    }
    const observed = observations.get(run.name) ?? new Map();
    const result = planRun({
      now,
      incident,
      run,
      playbook: entry.playbook,
      observations: observed,
      mayStart,
      guardPolicy: deps.guardPolicy,
      freshIntents,
      approvals: deps.approvalsTenancy(incident),
    });
    planned.runs.push(result.run);
    planned.effects.push(...result.effects);
    planned.events.push(...result.events);
    planned.refusals.push(...result.refusals);
    if (result.recheckAfterMs !== undefined) recheck = Math.min(recheck ?? result.recheckAfterMs, result.recheckAfterMs);
  }
  return { ...planned, recheckAfterMs: recheck };
}

/** Passes of one reconcile: a pass that records intents is followed by one that carries them out. */
const MAX_PASSES = 4;

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function openWork(status: IncidentStatus): boolean {
  return status.phase === "Running" || status.phase === "AwaitingApproval" || status.phase === "Pending";
}

/** What one pass of a reconcile did. */
interface PassOutcome {
  readonly result: ReconcileResult;
  /** The Incident as stored by this pass's status write; undefined when nothing was written. */
  readonly stored: Incident | undefined;
  /** True when the write recorded intents that a next pass carries out. */
  readonly recordedIntents: boolean;
}

/**
 * The Incident reconcile. It reads the cached Incident, runs the guards
 * (deletion, resolved/closed, pause), then the sub-steps in order, each in its own file:
 * triage (runs pinned to Playbook generations; a run over its Playbook's rate limit or
 * active-incident cap is skipped instead of started), observe (the Jobs of running steps), plan (the
 * next state of each run, pure, with the guard chain before every action, connector and notify
 * step), execute (the Jobs, actions and connector calls whose intents are durable; see
 * `steps/intent-ledger.ts` for the intent protocol), close (the whole status, pure), announce
 * (the lifecycle CloudEvents that status makes pending, published before the write that records
 * them, in a pass that records no new intents). A resolved or closed Incident with `spec.revert`
 * runs revert instead (the recorded undos, latest first, each once). The status is written once per pass, at the
 * end, only when it changed, through the status subresource guarded by resourceVersion; Events
 * and metrics follow a successful write only. A pass whose write records new intents is
 * followed at once by another pass on the object as stored, which carries them out: a step's
 * side effect does not wait for the watch to bring the write back. A reconcile that runs on a
 * cache older than one of its own writes does nothing: the watch event of the write brings the
 * key back (see {@link OwnStatusWrites}).
 */
export class IncidentReconciler {
  readonly #deps: IncidentReconcilerDeps;
  readonly #writes: OwnStatusWrites;
  /** Intents of guarded steps this process recorded and has not carried out. */
  readonly #intents = new IntentLedger();

  constructor(deps: IncidentReconcilerDeps) {
    this.#deps = deps;
    this.#writes = new OwnStatusWrites(deps.writeStatus);
  }

  /** Converges the Incident behind `key`; see the class comment for the contract. */
  async reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    let incident = this.#deps.incident(key);
    if (incident === undefined) {
      this.#forget(key);
      return {};
    }
    if (this.#writes.cacheIsBehind(key, incident)) {
      context.logger.debug({ resourceVersion: incident.metadata.resourceVersion ?? "" }, "incident cache older than the last status write; waiting for the watch");
      return {};
    }
    for (let pass = 1; ; pass++) {
      const outcome = await this.#pass(key, incident, context);
      if (outcome.stored === undefined || !outcome.recordedIntents || pass >= MAX_PASSES) return outcome.result;
      incident = outcome.stored;
    }
  }

  async #pass(key: string, incident: Incident, context: ReconcileContext): Promise<PassOutcome> {
    const deps = this.#deps;
    const nothing: PassOutcome = { result: {}, stored: undefined, recordedIntents: false };
    const guard = decideGuards({ incident, paused: deps.paused });
    if (guard.kind === "ignore") return nothing;
    const now = deps.clock.now();
    const finalState = guard.kind === "finalize" ? guard.state : undefined;
    const mayStart = guard.kind === "run" && guard.mayStart;

    let runs: readonly PlaybookRun[] = incident.status?.playbooks ?? [];
    let events: TimelineEvent[] = [];
    let waits: readonly PlaybookWait[] = [];
    let recheckAfterMs: number | undefined;
    let refusals: readonly (GuardDecision | RunStartDecision)[] = [];
    const kinds = new Map<string, StepKind | undefined>();
    if (guard.kind === "run") {
      const { namespace, name } = splitObjectKey(key);
      const history = (playbook: string): RunHistory => deps.history(namespace, playbook, name);
      const triaged = triage({ incident, now, playbooks: deps.playbook, compiler: deps.compiler, operatorDryRun: deps.dryRun, criticalReservePercent: deps.criticalReservePercent, history });
      for (const { run, playbook } of triaged.active) {
        for (const step of playbook.steps) kinds.set(`${run.name}/${step.name}`, step.kind);
      }
      const observations = await observe({ incident, active: triaged.active, cachedJob: deps.cachedJob, jobs: deps.jobs });
      const planned = planRuns({ incident, observations, mayStart, now, deps, freshIntents: this.#intents.fresh(key) }, triaged.runs, triaged.active);
      refusals = [...triaged.refusals, ...planned.refusals];
      const effects = this.#intents.takeForExecution(key, planned.effects);
      const calls = { ...deps.calls, signal: context.signal };
      const executed = await execute({ incident, runs: planned.runs, effects, jobs: deps.jobs, calls, hooks: deps.hooks, now });
      runs = executed.runs;
      events = [...triaged.events, ...planned.events, ...executed.events];
      waits = triaged.waits;
      recheckAfterMs = planned.recheckAfterMs;
    } else if (incident.spec.revert === true) {
      const reverted = await revert({ runs, undo: deps.undo, now });
      runs = reverted.runs;
      events = [...reverted.events];
      recheckAfterMs = reverted.recheckAfterMs;
    }

    const closed = close({ incident, runs, events, finalState, mayStart, waits, now });
    const kindOf = (playbook: string, step: string): StepKind | undefined => kinds.get(`${playbook}/${step}`);
    const intents: NewIntent[] = newIntents(incident.status?.playbooks ?? [], closed.status.playbooks ?? [], kindOf);
    // A pass that records intents is followed at once by the pass that carries them out, which
    // publishes: a lifecycle event never delays a step's side effect.
    const announcer = intents.length > 0 ? undefined : deps.announcer;
    const announced = await announce({ key, incident, status: closed.status, now, announcer, escalationLevel: deps.escalationLevel, logger: context.logger });
    recheckAfterMs = earliest(recheckAfterMs, announced.retryAfterMs);
    let stored: Incident | undefined;
    if (closed.changed || announced.cursorChanged) {
      stored = await this.#writes.write<IncidentStatus, Incident>(key, incident, announced.status);
      if (stored === undefined) {
        this.#forget(key);
        return nothing;
      }
      deps.announcer?.recorded(key);
      context.logger.debug({ phase: closed.status.phase, events: events.length }, "incident status written");
      const guarded = intents.filter((intent) => intent.kind !== undefined && EFFECT_STEP_KINDS.has(intent.kind));
      this.#intents.recordDurable(key, guarded.map((intent) => intent.id));
      for (const refusal of refusals) deps.guardMetrics.record(refusal);
      for (const event of events) deps.guardMetrics.recordStepFailure(event.reason);
      recordTransitions(deps.metrics, incident, closed.status, (playbook, step) => kindOf(playbook, step) ?? "unknown");
      this.#recordEvents(key, incident, events);
    }
    const result: ReconcileResult =
      recheckAfterMs !== undefined ? { requeueAfter: recheckAfterMs } : openWork(closed.status) ? { requeueAfter: INCIDENT_SAFETY_RECHECK_MS } : {};
    return { result, stored, recordedIntents: stored !== undefined && intents.length > 0 };
  }

  #forget(key: string): void {
    this.#writes.forget(key);
    this.#intents.forget(key);
    this.#deps.announcer?.forget(key);
  }

  #recordEvents(key: string, incident: Incident, events: readonly TimelineEvent[]): void {
    const { namespace, name } = splitObjectKey(key);
    const subject = { apiVersion: API_VERSION, kind: Kind.Incident, namespace, name, uid: incident.metadata.uid };
    for (const event of events) {
      const scope = event.step === undefined ? event.playbook : `${event.playbook ?? ""}/${event.step}`;
      const message = scope === undefined ? event.message : `${scope}: ${event.message}`;
      this.#deps.events.record(subject, { type: event.type, reason: event.reason, message });
    }
  }
}
