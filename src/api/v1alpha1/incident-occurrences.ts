import { countedEventKey } from "./counted-events.ts";
import type { Incident, IncidentStatus } from "./types.generated.ts";

/**
 * The Incident's status with its occurrence fields (occurrences, firstSeen, lastSeen,
 * recentEvents, countedEvents, alertStatus, observables) as they stand. Intake opens an Incident in a single
 * create, and the API server drops status on create, so the opening occurrence is pinned in
 * `spec.opening`: while `status.occurrences` is unset, that occurrence is the Incident's only
 * one. Every reader and writer of the occurrence fields starts from this. Pure.
 */
export function occurrenceStatus(incident: Incident): IncidentStatus {
  const status = incident.status ?? {};
  const opening = incident.spec.opening;
  if (status.occurrences !== undefined || opening === undefined) return status;
  return {
    ...status,
    occurrences: 1,
    firstSeen: opening.receivedAt,
    lastSeen: opening.receivedAt,
    recentEvents: [opening.eventKey],
    countedEvents: countedEventKey(opening.eventKey),
    alertStatus: "firing",
    ...(opening.observables === undefined || opening.observables.length === 0 ? {} : { observables: [...opening.observables] }),
  };
}
