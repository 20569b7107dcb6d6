import { isActiveFor, runOf } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import type { RunHistory } from "../../policy/index.ts";

/**
 * What Playbook `playbook` has been doing in the *other* Incidents of a namespace, for its
 * run-start limits: when their runs of it started (any run that started, dry runs included,
 * whatever became of it; a run skipped at start never started), and how many of them are active
 * for it (`isActiveFor`). The Incident named `incident` is never counted. Pure.
 */
export function playbookHistory(incidents: readonly Incident[], playbook: string, incident: string): RunHistory {
  const otherRunStarts: Date[] = [];
  let otherActiveIncidents = 0;
  for (const other of incidents) {
    if (other.metadata.name === incident) continue;
    const startedAt = runOf(other, playbook)?.startedAt;
    if (startedAt !== undefined) otherRunStarts.push(new Date(startedAt));
    if (isActiveFor(other, playbook)) otherActiveIncidents += 1;
  }
  return { otherRunStarts, otherActiveIncidents };
}
