import { incidentLabelChanges } from "../../api/v1alpha1/incident-labels.ts";
import type { Incident, IncidentSpec } from "../../api/v1alpha1/types.generated.ts";
import type { JsonPatchOperation } from "../incident-api.ts";

/** `key` as one token of a JSON pointer (RFC 6901). */
function pointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * JSON patch operations that bring the Incident's kube-soar labels (`incidentLabels`) in line
 * with `spec`, the spec it will have after the patch, so the write that changes the state also
 * changes its label and the operator has nothing left to write. None when they already match.
 */
export function labelOperations(incident: Incident, spec: IncidentSpec): JsonPatchOperation[] {
  const current = incident.metadata.labels;
  const changes = incidentLabelChanges(current, spec);
  if (changes === undefined) return [];
  if (current === undefined) {
    const labels = Object.fromEntries(Object.entries(changes).filter((entry): entry is [string, string] => entry[1] !== null));
    return [{ op: "add", path: "/metadata/labels", value: labels }];
  }
  return Object.entries(changes).map(([key, value]): JsonPatchOperation =>
    value === null ? { op: "remove", path: `/metadata/labels/${pointerToken(key)}` } : { op: "add", path: `/metadata/labels/${pointerToken(key)}`, value },
  );
}
