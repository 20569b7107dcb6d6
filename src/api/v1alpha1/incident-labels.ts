import { Label, PLAYBOOK_LABEL_PREFIX } from "./constants.ts";
import { isQualifiedName } from "./kube-names.ts";
import type { IncidentSpec } from "./types.generated.ts";

/** The state an Incident is in when `spec.state` is unset (the schema's default). */
const DEFAULT_STATE = "Open";

/** Whether `key` is one of the labels {@link incidentLabels} manages on an Incident. */
function isIncidentLabel(key: string): boolean {
  return key === Label.Severity || key === Label.State || key.startsWith(PLAYBOOK_LABEL_PREFIX);
}

/**
 * The labels an Incident carries so people can filter with `kubectl get incidents -l`: its
 * severity, its state (Open when unset) and one `playbook.soar.kube-soar.io/<name>: "true"` per
 * matched Playbook whose name fits a label key (at most 63 characters; longer names get none).
 * Every value is a valid label value: severities and states are enums. Pure.
 */
export function incidentLabels(spec: Pick<IncidentSpec, "severity" | "state" | "playbooks">): Record<string, string> {
  const labels: Record<string, string> = { [Label.Severity]: spec.severity, [Label.State]: spec.state ?? DEFAULT_STATE };
  for (const playbook of spec.playbooks ?? []) {
    const key = `${PLAYBOOK_LABEL_PREFIX}${playbook}`;
    if (isQualifiedName(key)) labels[key] = "true";
  }
  return labels;
}

/**
 * The JSON merge patch of `metadata.labels` (key → value to set, or null to remove) that brings
 * the labels of {@link incidentLabels} on an Incident with `current` labels up to date with
 * `spec`, touching no other label; undefined when they already are.
 */
export function incidentLabelChanges(
  current: Readonly<Record<string, string>> | undefined,
  spec: Pick<IncidentSpec, "severity" | "state" | "playbooks">,
): Record<string, string | null> | undefined {
  const wanted = incidentLabels(spec);
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(wanted)) if (current?.[key] !== value) changes[key] = value;
  for (const key of Object.keys(current ?? {})) if (isIncidentLabel(key) && !(key in wanted)) changes[key] = null;
  return Object.keys(changes).length === 0 ? undefined : changes;
}
