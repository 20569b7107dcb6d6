import type { HumanClosedState } from "../../api/v1alpha1/lifecycle.ts";
import type { Severity } from "../../api/v1alpha1/types.generated.ts";

// The CloudEvent `id` of every lifecycle event, derived from the Incident's uid and the
// transition only: publishing a transition again (after a crash between the publish and the
// status write that records it, or by the next leader) gives it the same id, so a consumer or a
// JetStream stream deduplicating by id keeps it once. No part holds a `/` of its own (uids,
// Playbook and step names, severities and numbers cannot), so each id names one transition.

/** `<uid>/opened`. */
export function openedEventId(uid: string): string {
  return `${uid}/opened`;
}

/**
 * `<uid>/updated/<occurrences>/<severity>`: the counts it announces. Both only grow from one
 * updated event to the next (the severity announced is the highest so far), so no two updated
 * events of an Incident share an id.
 */
export function updatedEventId(uid: string, occurrences: number, severity: Severity): string {
  return `${uid}/updated/${String(occurrences)}/${severity}`;
}

/** `<uid>/escalated/<level>`. */
export function escalatedEventId(uid: string, level: number): string {
  return `${uid}/escalated/${String(level)}`;
}

/** `<uid>/step/<playbook>/<step>/<attempts>/finished`: a step reaches its final phase once per run. */
export function stepFinishedEventId(uid: string, playbook: string, step: string, attempts: number): string {
  return `${uid}/step/${playbook}/${step}/${String(attempts)}/finished`;
}

/**
 * `<uid>/resolved` or `<uid>/closed`; after the Incident left an announced Resolved or Closed
 * state `reopenings` times, `<uid>/resolved/<reopenings + 1>` (its next cycle).
 */
export function closingEventId(uid: string, state: HumanClosedState, reopenings: number): string {
  const verb = state === "Resolved" ? "resolved" : "closed";
  return reopenings === 0 ? `${uid}/${verb}` : `${uid}/${verb}/${String(reopenings + 1)}`;
}
