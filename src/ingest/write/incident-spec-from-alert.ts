import type { AffectedResources, IncidentEvent, Observable } from "../../api/v1alpha1/types.generated.ts";
import type { Alert } from "../alert.ts";
import type { IncidentSpecFromAlert } from "./write-request.ts";

/** Longest values the Incident schema accepts, in characters (code points). */
const SCHEMA_BOUNDS = {
  eventId: 256,
  eventSource: 1024,
  eventType: 256,
  eventSubject: 1024,
  observable: 1024,
  resources: { namespace: 63, pod: 253, container: 63, node: 253, image: 512, workload: 320 },
} as const;

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** The text cut to at most `max` code points (identity attributes are hashed elsewhere, so cutting is safe). */
function bounded(text: string, max: number): string {
  return codePoints(text) <= max ? text : Array.from(text).slice(0, max).join("");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The stored event of an Incident: the CloudEvent attributes cut to the schema's bounds and the
 * alert's (already redacted and bounded) data. The schema stores an object, so data that is a
 * string, number or array is kept under `value`.
 */
export function incidentEvent(alert: Alert): IncidentEvent {
  const event: IncidentEvent = {
    id: bounded(alert.id, SCHEMA_BOUNDS.eventId),
    source: bounded(alert.source, SCHEMA_BOUNDS.eventSource),
    type: bounded(alert.type, SCHEMA_BOUNDS.eventType),
    time: alert.time,
    truncated: alert.dataTruncated,
  };
  if (alert.subject !== undefined) event.subject = bounded(alert.subject, SCHEMA_BOUNDS.eventSubject);
  if (isPlainObject(alert.data)) event.data = alert.data;
  else if (alert.data !== null && alert.data !== undefined) event.data = { value: alert.data };
  return event;
}

/** The alert's resources that fit the schema (each one already validated by normalisation). */
export function incidentResources(alert: Alert): AffectedResources {
  const resources: AffectedResources = {};
  for (const [field, max] of Object.entries(SCHEMA_BOUNDS.resources) as [keyof AffectedResources, number][]) {
    const value = alert.resources[field];
    if (value !== undefined && value !== "" && codePoints(value) <= max) resources[field] = value;
  }
  return resources;
}

/** The alert's observables that fit the schema. */
export function incidentObservables(alert: Alert): Observable[] {
  return alert.observables
    .filter((observable) => observable.value !== "" && codePoints(observable.value) <= SCHEMA_BOUNDS.observable)
    .map((observable) => ({ type: observable.type, value: observable.value }));
}

/** What an Incident opened for this alert pins in its spec. */
export function incidentSpecFromAlert(alert: Alert): IncidentSpecFromAlert {
  return {
    severity: alert.severity,
    title: alert.title,
    sourceKind: alert.kind,
    event: incidentEvent(alert),
    resources: incidentResources(alert),
  };
}
