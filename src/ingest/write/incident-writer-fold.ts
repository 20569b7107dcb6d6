import { COUNTED_EVENT_KEY_LENGTH, countedEventKey, countedEventKeys, packCountedEvents } from "../../api/v1alpha1/counted-events.ts";
import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { isHumanClosed, isHumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import { MAX_COUNTED_EVENTS, MAX_OBSERVABLES, MAX_RECENT_EVENTS } from "../../api/v1alpha1/schema/incident.ts";
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
  /** Events already in `countedEvents` (or twice in the batch): not counted again. */
  duplicates: number;
  /** New events beyond {@link MAX_COUNTED_EVENTS}: left out, for the next Incident. */
  overflow: number;
  /** Whether `status` differs from the input. */
  changed: boolean;
  /** Per input event, in order: what happened to it. */
  effects: readonly FoldEffect[];
}

/** What folding did with one event. */
export type FoldEffect = "counted" | "resolved" | "duplicate" | "overflow";

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
 * The entries of `countedEvents` (`countedEventKey`): the events the Incident counted. An
 * Incident written before the field existed remembers its counted events in `recentEvents` only.
 */
export function countedKeys(status: IncidentStatus): string[] {
  if (status.countedEvents !== undefined) return countedEventKeys(status.countedEvents);
  return (status.recentEvents ?? []).map(countedEventKey);
}

/** True when the Incident counted as many distinct events as it may: the next one opens the next Incident. */
export function isFull(status: IncidentStatus): boolean {
  const counted = status.countedEvents === undefined ? (status.recentEvents ?? []).length : Math.floor(status.countedEvents.length / COUNTED_EVENT_KEY_LENGTH);
  return counted >= MAX_COUNTED_EVENTS;
}

/**
 * Folds events, in order, into an Incident's status (absent for an Incident just created).
 * An event is new unless its key is in `countedEvents`, which remembers every event the
 * Incident ever counted (up to {@link MAX_COUNTED_EVENTS}), so a repeat counts once however long
 * after and however many events came between. A new firing event adds one occurrence, moves
 * `lastSeen` forward (and `firstSeen` back), sets `alertStatus: firing`, clears
 * `resolvedAlertAt` and merges its observables; a new resolved event sets `alertStatus:
 * resolved` and `resolvedAlertAt`; both append their key to `countedEvents` and their hash to `recentEvents` (the latest
 * {@link MAX_RECENT_EVENTS}). A known event changes nothing; a new event beyond the bound is
 * left out (`overflow`). Every other status field is kept as it was. Pure.
 */
export function foldEvents(current: IncidentStatus | undefined, events: readonly FoldEvent[]): FoldResult {
  const before: IncidentStatus = current ?? {};
  const status: IncidentStatus = { ...before };
  const recent = [...(before.recentEvents ?? [])];
  const countedEvents = countedKeys(before);
  const known = new Set(countedEvents);
  let occurrences = before.occurrences ?? 0;
  let observables = before.observables ?? [];
  let counted = 0;
  let resolved = 0;
  let duplicates = 0;
  let overflow = 0;
  const effects: FoldEffect[] = [];
  for (const event of events) {
    const key = countedEventKey(event.hash);
    if (known.has(key)) {
      duplicates++;
      effects.push("duplicate");
      continue;
    }
    if (countedEvents.length >= MAX_COUNTED_EVENTS) {
      overflow++;
      effects.push("overflow");
      continue;
    }
    known.add(key);
    countedEvents.push(key);
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
  if (counted + resolved > 0) status.countedEvents = packCountedEvents(countedEvents);
  if (observables.length > 0) status.observables = observables;
  return { status, counted, resolved, duplicates, overflow, changed: !sameStatus(before, status), effects };
}

/**
 * True when the Incident's state says a person resolved or closed it, or its phase (which follows
 * the state once the Incident controller has seen it) says so.
 */
export function isResolved(incident: Incident): boolean {
  return isHumanClosed(incident) || isHumanClosedState(incident.status?.phase);
}

/**
 * True when new events fold into this Incident: not resolved or closed, not full
 * ({@link isFull}), and its last event is within `windowMs` of `nowMs` (an Incident with no
 * event yet, just created, is open).
 */
export function isOpen(incident: Incident, nowMs: number, windowMs: number): boolean {
  if (isResolved(incident)) return false;
  const occurrences = occurrenceStatus(incident);
  if (isFull(occurrences)) return false;
  const lastSeen = occurrences.lastSeen;
  if (lastSeen === undefined) return true;
  const lastMs = Date.parse(lastSeen);
  return Number.isNaN(lastMs) || nowMs - lastMs <= windowMs;
}
