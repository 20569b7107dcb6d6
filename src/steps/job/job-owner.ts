import type { V1Job, V1OwnerReference } from "@kubernetes/client-node";
import { Kind } from "../../api/v1alpha1/constants.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";

/** The ownerReference of the Incident that controls a Job, if any. */
export function controllingIncident(job: V1Job): V1OwnerReference | undefined {
  return job.metadata?.ownerReferences?.find((owner) => owner.kind === Kind.Incident && owner.controller === true);
}

/** Whether `incident` controls `job`: only such a Job is adopted or observed for its steps. */
export function controlledBy(job: V1Job, incident: Incident): boolean {
  const uid = controllingIncident(job)?.uid;
  return uid !== undefined && uid === incident.metadata.uid;
}
