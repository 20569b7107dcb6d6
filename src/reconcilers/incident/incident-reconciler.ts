import type { V1Job } from "@kubernetes/client-node";
import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import type { Incident, IncidentStatus, Playbook, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import type { JobClient } from "../../executors/job/job-client.ts";
import type { Clock } from "../../observability/clock.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { splitObjectKey } from "../../runtime/object-key.ts";
import type { EventRecorder } from "../event-recorder.ts";
import type { StatusWriter } from "../status-writer.ts";
import { close } from "./close.ts";
import { execute, type StepHooks } from "./execute.ts";
import { decideGuards } from "./guards.ts";
import { recordTransitions, type IncidentMetrics } from "./incident-metrics.ts";
import { observe } from "./observe.ts";
import { planRun, type EnsureJobEffect } from "./plan.ts";
import { triage, type ActiveRun } from "./triage.ts";
import type { TimelineEvent } from "./timeline.ts";

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
  readonly hooks?: StepHooks | undefined;
}

interface Planned {
  readonly runs: PlaybookRun[];
  readonly effects: EnsureJobEffect[];
  readonly events: TimelineEvent[];
  readonly recheckAfterMs: number | undefined;
}

function plan(incident: Incident, runs: readonly PlaybookRun[], active: readonly ActiveRun[], observations: Awaited<ReturnType<typeof observe>>, mayStart: boolean, now: Date): Planned {
  const byName = new Map(active.map((entry) => [entry.run.name, entry]));
  const planned: Planned = { runs: [], effects: [], events: [], recheckAfterMs: undefined };
  let recheck: number | undefined;
  for (const run of runs) {
    const entry = byName.get(run.name);
    if (entry === undefined) {
      planned.runs.push(run);
      continue;
    }
    const result = planRun({ now, incident, run, playbook: entry.playbook, observations: observations.get(run.name) ?? new Map(), mayStart });
    planned.runs.push(result.run);
    planned.effects.push(...result.effects);
    planned.events.push(...result.events);
    if (result.recheckAfterMs !== undefined) recheck = Math.min(recheck ?? result.recheckAfterMs, result.recheckAfterMs);
  }
  return { ...planned, recheckAfterMs: recheck };
}

function openWork(status: IncidentStatus): boolean {
  return status.phase === "Running" || status.phase === "AwaitingApproval" || status.phase === "Pending";
}

/**
 * The Incident reconcile, a thin orchestrator. It reads the cached Incident, runs the guards
 * (deletion, resolved/closed, pause), then the sub-steps in order, each in its own file:
 * triage (runs pinned to Playbook generations), observe (the Jobs of running steps), plan (the
 * next state of each run, pure), execute (the Jobs whose intents are durable), close (the
 * whole status, pure). The status is written once, at the end, only when it changed, through
 * the status subresource guarded by resourceVersion; Events and metrics follow a successful
 * write only. A reconcile that ran on a cache older than its own last write does nothing: the
 * watch event of that write brings the key back.
 */
export class IncidentReconciler {
  readonly #deps: IncidentReconcilerDeps;
  /** key → resourceVersion the last successful status write was based on. */
  readonly #writtenOver = new Map<string, string>();

  constructor(deps: IncidentReconcilerDeps) {
    this.#deps = deps;
  }

  /** Converges the Incident behind `key`; see the class comment for the contract. */
  async reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const deps = this.#deps;
    const incident = deps.incident(key);
    if (incident === undefined) {
      this.#writtenOver.delete(key);
      return {};
    }
    const resourceVersion = incident.metadata.resourceVersion ?? "";
    if (this.#writtenOver.get(key) === resourceVersion) {
      context.logger.debug({ resourceVersion }, "incident cache older than the last status write; waiting for the watch");
      return {};
    }
    this.#writtenOver.delete(key);

    const guard = decideGuards({ incident, paused: deps.paused });
    if (guard.kind === "ignore") return {};
    const now = deps.clock.now();
    const finalState = guard.kind === "finalize" ? guard.state : undefined;
    const mayStart = guard.kind === "run" && guard.mayStart;

    let runs: readonly PlaybookRun[] = incident.status?.playbooks ?? [];
    let events: TimelineEvent[] = [];
    let waits: Awaited<ReturnType<typeof triage>>["waits"] = [];
    let recheckAfterMs: number | undefined;
    const kinds = new Map<string, string>();
    if (guard.kind === "run") {
      const triaged = triage({ incident, now, playbooks: deps.playbook, compiler: deps.compiler, operatorDryRun: deps.dryRun });
      for (const { run, playbook } of triaged.active) {
        for (const step of playbook.steps) kinds.set(`${run.name}/${step.name}`, step.kind ?? "unknown");
      }
      const observations = await observe({ incident, active: triaged.active, cachedJob: deps.cachedJob, jobs: deps.jobs });
      const planned = plan(incident, triaged.runs, triaged.active, observations, mayStart, now);
      const executed = await execute({ incident, runs: planned.runs, effects: planned.effects, jobs: deps.jobs, hooks: deps.hooks, now });
      runs = executed.runs;
      events = [...triaged.events, ...planned.events, ...executed.events];
      waits = triaged.waits;
      recheckAfterMs = planned.recheckAfterMs;
    }

    const closed = close({ incident, runs, events, finalState, mayStart, waits, now });
    if (closed.changed) {
      const stored = await deps.writeStatus<IncidentStatus, Incident>({ ...incident, status: closed.status });
      if (stored === undefined) return {};
      // A write that changed nothing keeps the resourceVersion: then the cache is not behind.
      if (stored.metadata.resourceVersion !== resourceVersion) this.#writtenOver.set(key, resourceVersion);
      context.logger.debug({ phase: closed.status.phase, events: events.length }, "incident status written");
      recordTransitions(deps.metrics, incident, closed.status, (playbook, step) => kinds.get(`${playbook}/${step}`) ?? "unknown");
      await this.#recordEvents(key, incident, events);
    }
    if (recheckAfterMs !== undefined) return { requeueAfter: recheckAfterMs };
    return openWork(closed.status) ? { requeueAfter: INCIDENT_SAFETY_RECHECK_MS } : {};
  }

  async #recordEvents(key: string, incident: Incident, events: readonly TimelineEvent[]): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const subject = { apiVersion: API_VERSION, kind: Kind.Incident, namespace, name, uid: incident.metadata.uid };
    await Promise.all(
      events.map(async (event) => {
        const scope = event.step === undefined ? event.playbook : `${event.playbook ?? ""}/${event.step}`;
        const message = scope === undefined ? event.message : `${scope}: ${event.message}`;
        await this.#deps.events.record(subject, { type: event.type, reason: event.reason, message });
      }),
    );
  }
}
