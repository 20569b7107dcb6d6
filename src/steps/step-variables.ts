import { occurrenceStatus } from "../api/v1alpha1/incident-occurrences.ts";
import type { Incident, PlaybookRun } from "../api/v1alpha1/types.generated.ts";

/**
 * The `event` CEL sees in step expressions: the CloudEvent pinned on the Incident (`id`,
 * `source`, `type`, `subject`, `time`, `data`, `truncated`) plus the Incident's `severity`,
 * the same envelope intake matched triggers against.
 */
export function eventVariable(incident: Incident): Record<string, unknown> {
  return { ...(incident.spec.event ?? {}), severity: incident.spec.severity };
}

/**
 * The `incident` CEL sees: name, namespace, severity, title, fingerprint, state, source kind,
 * affected resources, observables, occurrences and first/last seen. Human fields such as
 * approvals and assignee are left out so that a template cannot depend on who approved.
 */
export function incidentVariable(incident: Incident): Record<string, unknown> {
  const status = occurrenceStatus(incident);
  return {
    name: incident.metadata.name ?? "",
    namespace: incident.metadata.namespace ?? "",
    severity: incident.spec.severity,
    title: incident.spec.title,
    fingerprint: incident.spec.fingerprint,
    state: incident.spec.state ?? "Open",
    source: incident.spec.source.kind,
    resources: incident.spec.resources ?? {},
    observables: status.observables ?? [],
    occurrences: status.occurrences ?? 1,
    firstSeen: status.firstSeen ?? "",
    lastSeen: status.lastSeen ?? "",
  };
}

/**
 * The `steps` CEL sees: for every step of the run, `{ phase, outputs }` (outputs empty until
 * the step produced some), so `steps.scan.outputs.verdict` and `steps.scan.phase` both work.
 */
export function stepsVariable(run: PlaybookRun): Record<string, unknown> {
  return Object.fromEntries(
    (run.steps ?? []).map((step) => [step.name, { phase: step.phase, outputs: step.outputs ?? {} }]),
  );
}
