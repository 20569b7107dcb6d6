import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { isActiveFor } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";

/** What a Playbook's status says about the Incidents that name it. */
export interface PlaybookActivity {
  /** Incidents active for the Playbook (`isActiveFor`): the count its `maxActiveIncidents` caps. */
  readonly activeIncidents: number;
  /** The latest occurrence of an Incident that names the Playbook, if any. */
  readonly lastTriggeredAt: string | undefined;
}

/**
 * The activity of Playbook `playbook` among the Incidents of its namespace: how many are active
 * for it (a run of it started and not finished, and no person resolved or closed them), and when an alert last matched it (the latest `lastSeen` of the
 * Incidents whose `spec.playbooks` name it; intake pins the matched Playbooks there). Pure.
 */
export function playbookActivity(incidents: readonly Incident[], playbook: string): PlaybookActivity {
  let activeIncidents = 0;
  let latestMs = Number.NEGATIVE_INFINITY;
  let lastTriggeredAt: string | undefined;
  for (const incident of incidents) {
    if (incident.spec.playbooks?.includes(playbook) !== true) continue;
    const lastSeen = occurrenceStatus(incident).lastSeen;
    const lastSeenMs = lastSeen === undefined ? Number.NaN : Date.parse(lastSeen);
    if (lastSeen !== undefined && lastSeenMs > latestMs) {
      latestMs = lastSeenMs;
      lastTriggeredAt = lastSeen;
    }
    if (isActiveFor(incident, playbook)) activeIncidents += 1;
  }
  return { activeIncidents, lastTriggeredAt };
}
