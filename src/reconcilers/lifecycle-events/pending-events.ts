import { compareSeverity } from "../../api/v1alpha1/constants.ts";
import { IncidentEventType, UPDATED_EVENT_MIN_INTERVAL_MS, type IncidentEventData } from "../../api/v1alpha1/incident-events.ts";
import { isHumanClosedState, isStepTerminal, type HumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident, IncidentStatus, PublishedLifecycle, PublishedRun, Severity } from "../../api/v1alpha1/types.generated.ts";
import { finishedStepData, incidentEventData, type EventDetail } from "./event-data.ts";
import { closingEventId, escalatedEventId, openedEventId, stepFinishedEventId, updatedEventId } from "./event-ids.ts";

/**
 * The escalation level an Incident has reached, read from the status its reconcile writes (0
 * when never escalated): level n is announced once, as `io.kube-soar.incident.escalated` with id
 * `<uid>/escalated/<n>`. The hook by which escalation reports itself to the lifecycle events.
 */
export type EscalationLevel = (incident: Incident, status: IncidentStatus) => number;

/** What the pending events of an Incident are computed from. */
export interface PendingEventsInput {
  /** The Incident as read: identity, spec, and its stored status with `published`, the cursor. */
  readonly incident: Incident;
  /** The status the reconcile is about to write (occurrences, runs, phase); its `published` is ignored. */
  readonly status: IncidentStatus;
  readonly now: Date;
  /** The escalation level the Incident has reached (see `EscalationLevel`); 0 when never escalated. */
  readonly escalationLevel: number;
}

/** One lifecycle event to publish. */
export interface LifecycleEvent {
  readonly type: IncidentEventType;
  /** Stable: the same transition always gets the same id (see `event-ids.ts`). */
  readonly id: string;
  readonly time: string;
  readonly data: IncidentEventData;
  /** The cursor to record once this event and every one before it are published. */
  readonly cursor: PublishedLifecycle;
}

/** The events an Incident has not announced yet, in the order they must be published. */
export interface PendingEvents {
  readonly events: readonly LifecycleEvent[];
  /**
   * The cursor to record when none of `events` is published: the one read, or the start of a new
   * cycle when the Incident left an announced Resolved or Closed state. Undefined: record none.
   */
  readonly cursor: PublishedLifecycle | undefined;
  /** In how many milliseconds an `updated` event held back by the minimum interval becomes due. */
  readonly dueInMs: number | undefined;
}

const NOTHING: PendingEvents = { events: [], cursor: undefined, dueInMs: undefined };

/** Collects events in order, each with the cursor reached once it is published. */
class EventList {
  readonly events: LifecycleEvent[] = [];
  cursor: PublishedLifecycle;
  readonly #input: PendingEventsInput;

  constructor(input: PendingEventsInput, cursor: PublishedLifecycle) {
    this.#input = input;
    this.cursor = cursor;
  }

  add(type: IncidentEventType, id: string, cursor: PublishedLifecycle, detail: EventDetail = {}): void {
    this.cursor = cursor;
    const data = incidentEventData(this.#input.incident, this.#input.status, detail);
    this.events.push({ type, id, time: this.#input.now.toISOString(), data, cursor });
  }
}

function higher(a: Severity, b: Severity | undefined): Severity {
  return b === undefined || compareSeverity(a, b) > 0 ? a : b;
}

/**
 * Where the Incident's current cycle starts: the cursor read, or, when the Incident left the
 * Resolved or Closed state last announced (other than moving on from Resolved to Closed), that
 * state cleared and `reopenings` counted, so its next resolved or closed event gets a new id.
 */
function currentCycle(read: PublishedLifecycle, state: string): PublishedLifecycle {
  const announced = read.closedState;
  if (announced === undefined || state === announced || (announced === "Resolved" && state === "Closed")) return read;
  const next: PublishedLifecycle = { ...read, reopenings: (read.reopenings ?? 0) + 1 };
  delete next.closedState;
  return next;
}

function addOpened(list: EventList, uid: string, input: PendingEventsInput): void {
  if (list.cursor.opened === true) return;
  const { occurrences = 0 } = input.status;
  list.add(IncidentEventType.Opened, openedEventId(uid), { ...list.cursor, opened: true, occurrences, severity: higher(input.incident.spec.severity, list.cursor.severity) });
}

/** Adds an `updated` event when occurrences grew or the severity rose, unless one was published too recently; returns when it is due then. */
function addUpdated(list: EventList, uid: string, input: PendingEventsInput, openedNow: boolean): number | undefined {
  const { cursor } = list;
  const occurrences = Math.max(input.status.occurrences ?? 0, cursor.occurrences ?? 0);
  const severity = higher(input.incident.spec.severity, cursor.severity);
  if (openedNow || (occurrences === (cursor.occurrences ?? 0) && severity === cursor.severity)) return undefined;
  const since = cursor.updatedAt === undefined ? Infinity : input.now.getTime() - Date.parse(cursor.updatedAt);
  if (since < UPDATED_EVENT_MIN_INTERVAL_MS) return UPDATED_EVENT_MIN_INTERVAL_MS - since;
  list.add(IncidentEventType.Updated, updatedEventId(uid, occurrences, severity), { ...cursor, occurrences, severity, updatedAt: input.now.toISOString() });
  return undefined;
}

function addEscalations(list: EventList, uid: string, level: number): void {
  for (let next = (list.cursor.escalations ?? 0) + 1; next <= level; next++) {
    list.add(IncidentEventType.Escalated, escalatedEventId(uid, next), { ...list.cursor, escalations: next }, { escalation: { level: next } });
  }
}

function withStep(runs: readonly PublishedRun[] | undefined, playbook: string, step: string): PublishedRun[] {
  const all = [...(runs ?? [])];
  const index = all.findIndex((run) => run.name === playbook);
  const run = all[index];
  if (run === undefined) return [...all, { name: playbook, steps: [step] }];
  all[index] = { ...run, steps: [...(run.steps ?? []), step] };
  return all;
}

function addFinishedSteps(list: EventList, uid: string, status: IncidentStatus): void {
  for (const run of status.playbooks ?? []) {
    for (const step of run.steps ?? []) {
      if (!isStepTerminal(step)) continue;
      const announced = list.cursor.runs?.find((published) => published.name === run.name)?.steps ?? [];
      if (announced.includes(step.name)) continue;
      const data = finishedStepData(run.name, run.dryRun === true, step);
      list.add(IncidentEventType.StepFinished, stepFinishedEventId(uid, run.name, step.name, data.attempts), { ...list.cursor, runs: withStep(list.cursor.runs, run.name, step.name) }, { step: data });
    }
  }
}

function addClosing(list: EventList, uid: string, state: HumanClosedState): void {
  if (list.cursor.closedState === state) return;
  const type = state === "Resolved" ? IncidentEventType.Resolved : IncidentEventType.Closed;
  list.add(type, closingEventId(uid, state, list.cursor.reopenings ?? 0), { ...list.cursor, closedState: state });
}

/**
 * The lifecycle events of an Incident that its cursor (`status.published` as read) does not
 * record yet, from the status its reconcile is about to write, in publishing order: opened;
 * updated (occurrences grew or the severity rose since the last opened or updated event; at
 * most one per reconcile and one per `UPDATED_EVENT_MIN_INTERVAL_MS`, never beside opened,
 * which carries the counts itself); escalated, once per level up to `escalationLevel`;
 * step.finished for each step in a final phase, runs and steps in status order; resolved or
 * closed when a person set that state. Each event carries the cursor that records it and every
 * one before it, so publishing a prefix and recording the cursor of its last event loses and
 * repeats nothing. None for an Incident without a uid or being deleted, nor for one a person
 * closed before any cursor was recorded though the controller had reconciled it (closed while
 * nothing was published: its history is not announced afterwards). Pure.
 */
export function pendingLifecycleEvents(input: PendingEventsInput): PendingEvents {
  const { incident } = input;
  const uid = incident.metadata.uid;
  const read = incident.status?.published;
  const state = incident.spec.state ?? "Open";
  if (uid === undefined || incident.metadata.deletionTimestamp !== undefined) return NOTHING;
  if (read === undefined && incident.status?.phase !== undefined && state === "Closed") return NOTHING;
  const cycle = currentCycle(read ?? {}, state);
  const list = new EventList(input, cycle);
  const openedNow = list.cursor.opened !== true;
  addOpened(list, uid, input);
  const dueInMs = addUpdated(list, uid, input, openedNow);
  addEscalations(list, uid, input.escalationLevel);
  addFinishedSteps(list, uid, input.status);
  if (isHumanClosedState(state)) addClosing(list, uid, state);
  return { events: list.events, cursor: read === undefined ? undefined : cycle, dueInMs };
}
