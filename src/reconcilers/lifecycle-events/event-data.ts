import type { FinishedStepData, IncidentEventData } from "../../api/v1alpha1/incident-events.ts";
import type { Incident, IncidentStatus, StepState } from "../../api/v1alpha1/types.generated.ts";
import { redactSecrets } from "../../redaction/free-text.ts";

/** What one kind of event adds to the summary. */
export interface EventDetail {
  readonly step?: FinishedStepData;
  readonly escalation?: { readonly level: number };
}

/**
 * The `data` of a lifecycle event about `incident` whose status is `status` (the one its
 * reconcile writes): identity, severity, state, phase, title, source kind, counts, affected
 * objects and the runs' phases. The alert's payload is never part of it, and the title has
 * its credentials redacted (intake redacted it already; this holds whatever wrote the spec).
 */
export function incidentEventData(incident: Incident, status: IncidentStatus, detail: EventDetail = {}): IncidentEventData {
  const runs = new Map((status.playbooks ?? []).map((run) => [run.name, run.phase]));
  const names = [...new Set([...(incident.spec.playbooks ?? []), ...runs.keys()])];
  const { namespace, pod, node, workload } = incident.spec.resources ?? {};
  const resources = { ...defined("namespace", namespace), ...defined("pod", pod), ...defined("node", node), ...defined("workload", workload) };
  return {
    incident: { namespace: incident.metadata.namespace ?? "", name: incident.metadata.name ?? "", uid: incident.metadata.uid ?? "" },
    severity: incident.spec.severity,
    state: incident.spec.state ?? "Open",
    ...defined("phase", status.phase),
    title: redactSecrets(incident.spec.title),
    source: incident.spec.source.kind,
    occurrences: status.occurrences ?? 0,
    ...defined("firstSeen", status.firstSeen),
    ...defined("lastSeen", status.lastSeen),
    ...(Object.keys(resources).length === 0 ? {} : { resources }),
    playbooks: names.map((name) => ({ name, ...defined("phase", runs.get(name)) })),
    ...detail,
  };
}

/** What a `step.finished` event says about `step` of the run of `playbook`. */
export function finishedStepData(playbook: string, dryRun: boolean, step: StepState): FinishedStepData {
  return {
    playbook,
    name: step.name,
    phase: step.phase,
    attempts: step.attempts ?? 0,
    ...defined("finishedAt", step.finishedAt),
    dryRun,
    ...(step.message === undefined || step.message === "" ? {} : { message: redactSecrets(step.message) }),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
