import type { V1Job } from "@kubernetes/client-node";
import type { Playbook } from "../../api/v1alpha1/types.generated.ts";
import { jobFinished } from "../../steps/job/job-observation.ts";
import { controllingIncident } from "../../steps/job/job-owner.ts";
import { jsonEqual } from "../deep-equal.ts";

/**
 * What triage reads of a Playbook: which object it is, its generation and the Playbook
 * reconciler's verdict on it. The activity fields (`activeIncidents`, `lastTriggeredAt`) are
 * left out: they change with every Incident, and re-reconciling every open Incident of a busy
 * Playbook on each of those writes would be work proportional to the backlog for nothing.
 */
function playbookAsTriageSeesIt(playbook: Playbook): unknown {
  return {
    uid: playbook.metadata.uid,
    generation: playbook.metadata.generation,
    deleting: playbook.metadata.deletionTimestamp !== undefined,
    observedGeneration: playbook.status?.observedGeneration,
    conditions: playbook.status?.conditions,
  };
}

/** Whether a Playbook update can change a reconcile of the Incidents that run it. */
export function playbookUpdateMatters(old: Playbook, updated: Playbook): boolean {
  return !jsonEqual(playbookAsTriageSeesIt(old), playbookAsTriageSeesIt(updated));
}

/**
 * Whether a Job update can change a reconcile of its Incident: the observation of a step's Job
 * only depends on whether it finished and which Incident controls it. The Job controller's
 * interim status writes (active and ready counts, start time) enqueue nothing; a step's
 * timeout is a timed requeue, not a watch event.
 */
export function jobUpdateMatters(old: V1Job, updated: V1Job): boolean {
  return jobFinished(old) !== jobFinished(updated) || controllingIncident(old)?.uid !== controllingIncident(updated)?.uid;
}
