import type { Incident, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import type { GuardedHistory } from "../../policy/index.ts";

/** Whether a run was admitted: it started and no guard blocked any of its steps. */
function admitted(run: PlaybookRun): boolean {
  return run.startedAt !== undefined && run.dryRun !== true && !(run.steps ?? []).some((step) => step.phase === "Blocked");
}

/**
 * What Playbook `playbook` has been doing in the *other* Incidents of a namespace, for the rate
 * limit and the active-incident cap: the start times of their admitted runs of it (started, not
 * dry, no step blocked by a guard), and how many of those Incidents are active (state neither
 * Resolved nor Closed). The Incident `incident` itself is never counted. Pure.
 */
export function playbookHistory(incidents: readonly Incident[], playbook: string, incident: string): GuardedHistory {
  const otherRunStarts: Date[] = [];
  let otherActiveIncidents = 0;
  for (const other of incidents) {
    if (other.metadata.name === incident) continue;
    const run = other.status?.playbooks?.find((candidate) => candidate.name === playbook);
    if (run === undefined || !admitted(run) || run.startedAt === undefined) continue;
    otherRunStarts.push(new Date(run.startedAt));
    const state = other.spec.state ?? "Open";
    if (state !== "Resolved" && state !== "Closed") otherActiveIncidents += 1;
  }
  return { otherRunStarts, otherActiveIncidents };
}
