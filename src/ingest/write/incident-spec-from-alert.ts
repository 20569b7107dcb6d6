import { AFFECTED_RESOURCE_BOUNDS, boundText, fitsLength, INCIDENT_EVENT_BOUNDS, MAX_OBSERVABLE_VALUE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import type { AffectedResources, IncidentEvent, Observable } from "../../api/v1alpha1/types.generated.ts";
import type { Alert } from "../alert.ts";
import type { IncidentSpecFromAlert } from "./write-request.ts";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The stored event of an Incident: the CloudEvent attributes cut to the schema's bounds (without a
 * marker: identity attributes are hashed elsewhere, so cutting is safe) and the
 * alert's (already redacted and bounded) data. The schema stores an object, so data that is a
 * string, number or array is kept under `value`.
 */
export function incidentEvent(alert: Alert): IncidentEvent {
  const event: IncidentEvent = {
    id: boundText(alert.id, INCIDENT_EVENT_BOUNDS.id, ""),
    source: boundText(alert.source, INCIDENT_EVENT_BOUNDS.source, ""),
    type: boundText(alert.type, INCIDENT_EVENT_BOUNDS.type, ""),
    time: alert.time,
    truncated: alert.dataTruncated,
  };
  if (alert.subject !== undefined) event.subject = boundText(alert.subject, INCIDENT_EVENT_BOUNDS.subject, "");
  if (isPlainObject(alert.data)) event.data = alert.data;
  else if (alert.data !== null && alert.data !== undefined) event.data = { value: alert.data };
  return event;
}

/** The alert's resources that fit the schema (each one already validated by normalisation). */
export function incidentResources(alert: Alert): AffectedResources {
  const resources: AffectedResources = {};
  for (const [field, max] of Object.entries(AFFECTED_RESOURCE_BOUNDS) as [keyof AffectedResources, number][]) {
    const value = alert.resources[field];
    if (value !== undefined && value !== "" && fitsLength(value, max)) resources[field] = value;
  }
  return resources;
}

/** The alert's observables that fit the schema. */
export function incidentObservables(alert: Alert): Observable[] {
  return alert.observables
    .filter((observable) => observable.value !== "" && fitsLength(observable.value, MAX_OBSERVABLE_VALUE_LENGTH))
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
