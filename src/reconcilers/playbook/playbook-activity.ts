import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";

/** What a Playbook's status says about the Incidents that name it. */
export interface PlaybookActivity {
  /** Incidents with an unfinished run of the Playbook (Pending, Running or AwaitingApproval). */
  readonly activeIncidents: number;
  /** The latest occurrence of an Incident that names the Playbook, if any. */
  readonly lastTriggeredAt: string | undefined;
}

const finishedRunPhases: ReadonlySet<string> = new Set(["Succeeded", "Failed", "Skipped"]);

/**
 * The activity of Playbook `playbook` among the Incidents of its namespace: how many have an
 * unfinished run of it, and when an alert last matched it (the latest `lastSeen` of the
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
    const run = incident.status?.playbooks?.find((candidate) => candidate.name === playbook);
    if (run !== undefined && !finishedRunPhases.has(run.phase)) activeIncidents += 1;
  }
  return { activeIncidents, lastTriggeredAt };
}
