import { V1ObjectMeta } from "@kubernetes/client-node";
import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import { incidentLabels } from "../../api/v1alpha1/incident-labels.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { mergeObservables } from "./incident-writer-fold.ts";
import type { WriteRequest } from "./write-request.ts";

/**
 * The parts of an Incident the writer needs later: identity, resourceVersion, state, fingerprint
 * and status. The stored event's data (up to the event bound) and managed fields are dropped, so
 * the cache stays small; a status update ignores the spec it is sent with anyway.
 */
export function slim(incident: Incident): Incident {
  const metadata = Object.assign(new V1ObjectMeta(), incident.metadata);
  delete metadata.managedFields;
  const spec: Incident["spec"] = { ...incident.spec };
  if (spec.event !== undefined) {
    const event = { ...spec.event };
    delete event.data;
    spec.event = event;
  }
  return { ...incident, metadata, spec };
}

/**
 * The Incident object opened for a request, named `name`. The API server drops status on
 * create, so the opening occurrence is pinned in `spec.opening` (see `occurrenceStatus`): one
 * write opens an Incident. It carries its severity, state and playbook labels (`incidentLabels`)
 * from the start, so the Incident controller has none to add.
 */
export function newIncident(request: WriteRequest, name: string): Incident {
  const { target, fold } = request;
  const fromAlert = request.spec;
  const spec: Incident["spec"] = {
    severity: fromAlert.severity,
    title: fromAlert.title,
    fingerprint: target.fingerprint,
    source: { kind: fromAlert.sourceKind },
    event: fromAlert.event,
    resources: fromAlert.resources,
    opening: {
      receivedAt: fold.time,
      eventKey: fold.hash,
      ...(fold.observables.length === 0 ? {} : { observables: mergeObservables([], fold.observables) }),
    },
  };
  if (target.playbooks.length > 0) spec.playbooks = [...target.playbooks];
  return {
    apiVersion: API_VERSION,
    kind: Kind.Incident,
    metadata: Object.assign(new V1ObjectMeta(), { name, namespace: target.namespace, labels: incidentLabels(spec) }),
    spec,
  };
}
