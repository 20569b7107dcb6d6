import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { SEVERITIES } from "../../api/v1alpha1/constants.ts";
import { isAcknowledged, isAwaitingDecision, isHumanClosed, isRunInProgress } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import type { Clock } from "../../runtime/clock.ts";
import { counterOn, gaugeOn, histogramOn, onCollect } from "../../runtime/metric-registration.ts";

/** Who resolved an Incident: the automation alone (`status.automationResolvedAt`) or a person (`status.resolvedAt`). */
export const RESOLUTIONS = ["automation", "person"] as const;

/** The `state` label of `soar_open_incidents`: whether someone took the Incident on. */
export const OPEN_INCIDENT_STATES = ["open", "acknowledged"] as const;

/** Seconds from a few seconds to a week: how long people and playbooks take to handle an Incident. */
const RESPONSE_BUCKETS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 259_200, 604_800];

/**
 * The SOC's own figures, on the operator's registry: how many Incidents the controller took in
 * and how they were resolved, how long acknowledging and resolving took (counted when the
 * status write that records the transition is stored), and what is open or waiting for a
 * decision now (computed from the cache at every scrape). Every label value is from a closed
 * set, except `playbook`, the `namespace/name` of a Playbook (objects an administrator creates,
 * never a name from an alert).
 */
export interface ResponseMetrics {
  readonly opened: Counter<"severity">;
  readonly resolved: Counter<"severity" | "resolution">;
  readonly timeToAcknowledge: Histogram<"severity">;
  readonly timeToResolve: Histogram<"severity" | "resolution">;
  readonly openIncidents: Gauge<"severity" | "state">;
  readonly approvalsWaiting: Gauge<"severity" | "playbook">;
  readonly approvalOldestWait: Gauge<"severity" | "playbook">;
}

/** The name of {@link ResponseMetrics.openIncidents}. */
const OPEN_INCIDENTS = "soar_open_incidents";
/** The name of {@link ResponseMetrics.approvalsWaiting}. */
const APPROVALS_WAITING = "soar_approvals_waiting";
/** The name of {@link ResponseMetrics.approvalOldestWait}. */
const APPROVAL_OLDEST_WAIT = "soar_approval_oldest_wait_seconds";

/**
 * Creates (or reuses) the response metrics on `registry`. The counters start at zero for every
 * severity (and resolution), so that rates and ratios work from the first Incident.
 */
export function responseMetrics(registry: Registry): ResponseMetrics {
  const metrics: ResponseMetrics = {
    opened: counterOn(registry, {
      name: "soar_incidents_opened_total",
      help: "Incidents the Incident controller took in (its first status write of the Incident), by severity.",
      labelNames: ["severity"],
    }),
    resolved: counterOn(registry, {
      name: "soar_incidents_resolved_total",
      help: "Incidents resolved, by severity and resolution: automation (every run succeeded after a response action, no person involved) or person (spec.state set to Resolved or Closed). Each Incident counts once.",
      labelNames: ["severity", "resolution"],
    }),
    timeToAcknowledge: histogramOn(registry, {
      name: "soar_incident_time_to_acknowledge_seconds",
      help: "Time from an Incident's first event to when the controller first saw it taken on (acknowledged, assigned, resolved or closed), by severity.",
      labelNames: ["severity"],
      buckets: RESPONSE_BUCKETS,
    }),
    timeToResolve: histogramOn(registry, {
      name: "soar_incident_time_to_resolve_seconds",
      help: "Time from an Incident's first event to its resolution, by severity and resolution (automation or person).",
      labelNames: ["severity", "resolution"],
      buckets: RESPONSE_BUCKETS,
    }),
    openIncidents: gaugeOn(registry, {
      name: OPEN_INCIDENTS,
      help: "Incidents neither resolved by a person nor by the automation, by severity and state (open, or acknowledged: taken on by someone).",
      labelNames: ["severity", "state"],
    }),
    approvalsWaiting: gaugeOn(registry, {
      name: APPROVALS_WAITING,
      help: "Approval steps waiting for a person's decision, by the Incident's severity and the Playbook (namespace/name).",
      labelNames: ["severity", "playbook"],
    }),
    approvalOldestWait: gaugeOn(registry, {
      name: APPROVAL_OLDEST_WAIT,
      help: "Seconds the longest-waiting approval step has been waiting for a decision, by the Incident's severity and the Playbook (namespace/name).",
      labelNames: ["severity", "playbook"],
    }),
  };
  for (const severity of SEVERITIES) {
    metrics.opened.inc({ severity }, 0);
    for (const resolution of RESOLUTIONS) metrics.resolved.inc({ severity, resolution }, 0);
  }
  return metrics;
}

/** Seconds from `from` to `to`, undefined when either is missing or the interval is negative. */
export function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const elapsed = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(elapsed) && elapsed >= 0 ? elapsed : undefined;
}

/** When the Incident's first event occurred: `status.firstSeen`, else its creation. */
export function incidentOrigin(incident: Incident, status: IncidentStatus): string | undefined {
  const created = incident.metadata.creationTimestamp;
  return status.firstSeen ?? (created === undefined ? undefined : new Date(created).toISOString());
}

/**
 * Counts what a stored status write recorded for the first time: the controller's first
 * status of the Incident (opened), `acknowledgedAt`, `resolvedAt` (a person; not counted when
 * the automation resolved the Incident before) and `automationResolvedAt`. Each of these is
 * written once, so an Incident is counted once whichever leader writes it, and a restart that
 * reads an Incident already carrying them counts nothing.
 */
export function recordResponseTransitions(metrics: ResponseMetrics, incident: Incident, after: IncidentStatus): void {
  const before = incident.status ?? {};
  const severity = incident.spec.severity;
  const origin = incidentOrigin(incident, after);
  if (before.phase === undefined && after.phase !== undefined) metrics.opened.inc({ severity });
  if (before.acknowledgedAt === undefined && after.acknowledgedAt !== undefined) {
    const elapsed = secondsBetween(origin, after.acknowledgedAt);
    if (elapsed !== undefined) metrics.timeToAcknowledge.observe({ severity }, elapsed);
  }
  const resolvedNow =
    before.automationResolvedAt === undefined && after.automationResolvedAt !== undefined
      ? { resolution: "automation" as const, at: after.automationResolvedAt }
      : before.resolvedAt === undefined && after.resolvedAt !== undefined && after.automationResolvedAt === undefined
        ? { resolution: "person" as const, at: after.resolvedAt }
        : undefined;
  if (resolvedNow === undefined) return;
  metrics.resolved.inc({ severity, resolution: resolvedNow.resolution });
  const elapsed = secondsBetween(origin, resolvedNow.at);
  if (elapsed !== undefined) metrics.timeToResolve.observe({ severity, resolution: resolvedNow.resolution }, elapsed);
}

/** Whether the Incident is open: not being deleted, resolved by no person and not by the automation. */
function isOpen(incident: Incident): boolean {
  return incident.metadata.deletionTimestamp === undefined && !isHumanClosed(incident) && incident.status?.automationResolvedAt === undefined;
}

/** Approval steps waiting for a decision in one series: how many, and since when the oldest. */
interface Waiting {
  readonly labels: { severity: string; playbook: string };
  count: number;
  oldest: number;
}

function waitingApprovals(incidents: readonly Incident[]): Map<string, Waiting> {
  const waiting = new Map<string, Waiting>();
  for (const incident of incidents) {
    if (!isOpen(incident)) continue;
    const namespace = incident.metadata.namespace ?? "";
    for (const run of incident.status?.playbooks ?? []) {
      if (!isRunInProgress(run)) continue;
      const labels = { severity: incident.spec.severity, playbook: `${namespace}/${run.name}` };
      const key = `${labels.severity} ${labels.playbook}`;
      for (const step of run.steps ?? []) {
        if (!isAwaitingDecision(step)) continue;
        const since = step.startedAt === undefined ? Number.NaN : Date.parse(step.startedAt);
        const entry = waiting.get(key) ?? { labels, count: 0, oldest: Number.POSITIVE_INFINITY };
        entry.count += 1;
        if (Number.isFinite(since)) entry.oldest = Math.min(entry.oldest, since);
        waiting.set(key, entry);
      }
    }
  }
  return waiting;
}

/**
 * Keeps the gauges of {@link ResponseMetrics} equal to a count over `list()` (the informer
 * cache) at every scrape: open Incidents by severity and state (every pair reported, zero
 * included), and the approval steps waiting for a decision with the age of the oldest, by
 * severity and Playbook (only pairs that wait). Computed from the cache, they are right after a
 * restart or a change of leader. Returns a function that stops it and clears the gauges (a
 * standby reports none).
 */
export function trackOpenIncidents(registry: Registry, metrics: ResponseMetrics, list: () => readonly Incident[], clock: Clock): () => void {
  const collectOpen = (): void => {
    const counts = new Map<string, number>();
    for (const incident of list()) {
      if (!isOpen(incident)) continue;
      const key = `${incident.spec.severity} ${isAcknowledged(incident) ? "acknowledged" : "open"}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const severity of SEVERITIES) {
      for (const state of OPEN_INCIDENT_STATES) metrics.openIncidents.set({ severity, state }, counts.get(`${severity} ${state}`) ?? 0);
    }
  };
  const collectApprovals = (): void => {
    const now = clock.now().getTime();
    metrics.approvalsWaiting.reset();
    metrics.approvalOldestWait.reset();
    for (const { labels, count, oldest } of waitingApprovals(list()).values()) {
      metrics.approvalsWaiting.set(labels, count);
      metrics.approvalOldestWait.set(labels, Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0);
    }
  };
  const stops = [
    onCollect(registry, OPEN_INCIDENTS, collectOpen),
    onCollect(registry, APPROVALS_WAITING, collectApprovals),
    onCollect(registry, APPROVAL_OLDEST_WAIT, collectApprovals),
  ];
  return () => {
    for (const stop of stops) stop();
    metrics.openIncidents.reset();
    metrics.approvalsWaiting.reset();
    metrics.approvalOldestWait.reset();
  };
}
