import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { isHumanClosed, isHumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import { MAX_OBSERVABLES, MAX_RECENT_EVENTS } from "../../api/v1alpha1/schema/incident.ts";
import type { Incident, IncidentStatus, Observable } from "../../api/v1alpha1/types.generated.ts";

/** One event as it folds into an Incident's status. */
export interface FoldEvent {
  /** `eventHash(source, id)`: how a redelivery is recognised. */
  hash: string;
  /** An Alertmanager `resolved` alert is recorded, not counted. */
  alertStatus: "firing" | "resolved";
  /** When the event occurred (RFC 3339), never later than its receipt. */
  time: string;
  observables: readonly Observable[];
}

/** The status after folding, and what each event did. */
export interface FoldResult {
  status: IncidentStatus;
  /** Firing events counted as new occurrences. */
  counted: number;
  /** Resolved events recorded. */
  resolved: number;
  /** Events already in `recentEvents` (or twice in the batch): not counted again. */
  duplicates: number;
  /** Whether `status` differs from the input. */
  changed: boolean;
  /** Per input event, in order: what happened to it. */
  effects: readonly FoldEffect[];
}

/** What folding did with one event. */
export type FoldEffect = "counted" | "resolved" | "duplicate";

function later(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) > Date.parse(a) ? b : a;
}

function earlier(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) < Date.parse(a) ? b : a;
}

function observableKey(observable: Observable): string {
  return `${observable.type}\u0000${observable.value}`;
}

/** Observables of `existing` then new ones of `added`, without repeats, at most {@link MAX_OBSERVABLES}. */
export function mergeObservables(existing: readonly Observable[], added: readonly Observable[]): Observable[] {
  const seen = new Set<string>();
  const merged: Observable[] = [];
  for (const observable of [...existing, ...added]) {
    if (merged.length >= MAX_OBSERVABLES) break;
    const key = observableKey(observable);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push({ type: observable.type, value: observable.value });
  }
  return merged;
}

function sameStatus(a: IncidentStatus, b: IncidentStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Folds events, in order, into an Incident's status (absent for an Incident just created):
 * a firing event whose hash is not in `recentEvents` adds one occurrence, moves `lastSeen`
 * forward (and `firstSeen` back), sets `alertStatus: firing`, clears `resolvedAlertAt` and merges its observables; a
 * resolved event sets `alertStatus: resolved` and `resolvedAlertAt`; both append their hash to
 * `recentEvents`, keeping the latest {@link MAX_RECENT_EVENTS}. An event whose hash is already
 * there changes nothing. Every other status field is kept as it was. Pure.
 */
export function foldEvents(current: IncidentStatus | undefined, events: readonly FoldEvent[]): FoldResult {
  const before: IncidentStatus = current ?? {};
  const status: IncidentStatus = { ...before };
  const recent = [...(before.recentEvents ?? [])];
  const known = new Set(recent);
  let occurrences = before.occurrences ?? 0;
  let observables = before.observables ?? [];
  let counted = 0;
  let resolved = 0;
  let duplicates = 0;
  const effects: FoldEffect[] = [];
  for (const event of events) {
    if (known.has(event.hash)) {
      duplicates++;
      effects.push("duplicate");
      continue;
    }
    known.add(event.hash);
    recent.push(event.hash);
    if (event.alertStatus === "resolved") {
      status.alertStatus = "resolved";
      status.resolvedAlertAt = later(status.resolvedAlertAt, event.time);
      resolved++;
      effects.push("resolved");
      continue;
    }
    occurrences++;
    counted++;
    status.firstSeen = earlier(status.firstSeen, event.time);
    status.lastSeen = later(status.lastSeen, event.time);
    status.alertStatus = "firing";
    // Firing again: the resolve recorded before no longer describes the alert.
    delete status.resolvedAlertAt;
    observables = mergeObservables(observables, event.observables);
    effects.push("counted");
  }
  status.occurrences = occurrences;
  status.recentEvents = recent.slice(-MAX_RECENT_EVENTS);
  if (observables.length > 0) status.observables = observables;
  return { status, counted, resolved, duplicates, changed: !sameStatus(before, status), effects };
}

/**
 * True when the Incident's state says a person resolved or closed it, or its phase (which follows
 * the state once the Incident controller has seen it) says so.
 */
export function isResolved(incident: Incident): boolean {
  return isHumanClosed(incident) || isHumanClosedState(incident.status?.phase);
}

/**
 * True when new events fold into this Incident: not resolved or closed, and its last event is
 * within `windowMs` of `nowMs` (an Incident with no event yet, just created, is open).
 */
export function isOpen(incident: Incident, nowMs: number, windowMs: number): boolean {
  if (isResolved(incident)) return false;
  const lastSeen = occurrenceStatus(incident).lastSeen;
  if (lastSeen === undefined) return true;
  const lastMs = Date.parse(lastSeen);
  return Number.isNaN(lastMs) || nowMs - lastMs <= windowMs;
}
