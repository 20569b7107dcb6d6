import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { INCIDENT_PHASES } from "../../api/v1alpha1/constants.ts";
import { isActive, isRunFinished, isStepTerminal } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import { counterOn, gaugeOn, histogramOn, onCollect } from "../../runtime/metric-registration.ts";
import { incidentOrigin, recordResponseTransitions, responseMetrics, secondsBetween, type ResponseMetrics } from "./response-metrics.ts";

/** The domain metrics of the Incident reconciler, on the operator's registry. */
export interface IncidentMetrics {
  readonly runs: Counter<"result">;
  readonly stepDuration: Histogram<"kind" | "result">;
  readonly alertToFirstAction: Histogram;
  readonly activeIncidents: Gauge<"phase">;
  /** Incidents opened and resolved, times to acknowledge and resolve, what is open and waiting. */
  readonly response: ResponseMetrics;
}

/** Creates (or reuses) the metrics on `registry`. */
export function incidentMetrics(registry: Registry): IncidentMetrics {
  return {
    runs: counterOn(registry, {
      name: "soar_playbook_runs_total",
      help: "Playbook runs that finished, by result (succeeded, failed, skipped).",
      labelNames: ["result"],
    }),
    stepDuration: histogramOn(registry, {
      name: "soar_step_duration_seconds",
      help: "Time from a step's first start to its final phase, by step kind and result.",
      labelNames: ["kind", "result"],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    }),
    alertToFirstAction: histogramOn(registry, {
      name: "soar_alert_to_first_action_seconds",
      help: "Time from an Incident's first event to its first response action (a Job created).",
      labelNames: [],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    }),
    activeIncidents: gaugeOn(registry, {
      name: "soar_active_incidents",
      help: "Active Incidents (a playbook run started and not finished, not resolved or closed by a person), by Incident phase.",
      labelNames: ["phase"],
    }),
    response: responseMetrics(registry),
  };
}

/**
 * Keeps `soar_active_incidents` equal to a count over `list()` (the informer cache) at every
 * scrape: the active Incidents (`isActive`: the same definition as `maxActiveIncidents` and
 * `Playbook.status.activeIncidents`), by Incident phase (Pending when none yet).
 * Returns a function that stops it and clears the gauge (a standby reports no incidents).
 */
export function trackActiveIncidents(registry: Registry, metrics: IncidentMetrics, list: () => readonly Incident[]): () => void {
  const stop = onCollect(registry, "soar_active_incidents", () => {
    const counts = new Map<string, number>(INCIDENT_PHASES.map((phase) => [phase, 0]));
    for (const incident of list()) {
      if (!isActive(incident)) continue;
      const phase = incident.status?.phase ?? "Pending";
      counts.set(phase, (counts.get(phase) ?? 0) + 1);
    }
    for (const [phase, count] of counts) metrics.activeIncidents.set({ phase }, count);
  });
  return () => {
    stop();
    metrics.activeIncidents.reset();
  };
}

/**
 * Counts what a written status changed: runs that reached a final phase, steps that reached a
 * final phase (duration from first start to finish, labelled with the step kind from
 * `kindOf`), and the first response (from `firstSeen`, else the Incident's creation, to
 * `respondedAt`), and the response transitions (`recordResponseTransitions`). Called only
 * after the status was stored, so a retried reconcile counts once.
 */
export function recordTransitions(
  metrics: IncidentMetrics,
  incident: Incident,
  after: IncidentStatus,
  kindOf: (playbook: string, step: string) => string,
): void {
  const before = incident.status;
  const previousRuns = new Map((before?.playbooks ?? []).map((run) => [run.name, run]));
  for (const run of after.playbooks ?? []) {
    const previous = previousRuns.get(run.name);
    if (isRunFinished(run) && (previous === undefined || !isRunFinished(previous))) {
      metrics.runs.inc({ result: run.phase.toLowerCase() });
    }
    const previousSteps = new Map((previous?.steps ?? []).map((step) => [step.name, step]));
    for (const step of run.steps ?? []) {
      const old = previousSteps.get(step.name);
      if (!isStepTerminal(step) || (old !== undefined && isStepTerminal(old))) continue;
      const duration = secondsBetween(step.startedAt, step.finishedAt);
      if (duration !== undefined) {
        metrics.stepDuration.observe({ kind: kindOf(run.name, step.name), result: step.phase.toLowerCase() }, duration);
      }
    }
  }
  if (before?.respondedAt === undefined && after.respondedAt !== undefined) {
    const latency = secondsBetween(incidentOrigin(incident, after), after.respondedAt);
    if (latency !== undefined) metrics.alertToFirstAction.observe(latency);
  }
  recordResponseTransitions(metrics.response, incident, after);
}
