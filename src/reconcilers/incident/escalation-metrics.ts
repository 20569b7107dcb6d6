import type { Counter, Registry } from "prom-client";
import { newlySettledEscalations } from "../../api/v1alpha1/escalations.ts";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import { counterOn } from "../../runtime/metric-registration.ts";

/** The counter of escalation levels that ended, on the operator's registry. */
export type EscalationCounter = Counter<"severity" | "level" | "result">;

/** Creates (or reuses) `soar_incident_escalations_total` on `registry`. */
export function escalationCounter(registry: Registry): EscalationCounter {
  return counterOn(registry, {
    name: "soar_incident_escalations_total",
    help: "Escalation levels of unacknowledged Incidents that ended, by Incident severity, level (1-3) and result (sent, failed, unknown, cancelled, dryrun).",
    labelNames: ["severity", "level", "result"],
  });
}

/**
 * Counts the escalation levels a written status settled (see `newlySettledEscalations`). Called
 * only after the status was stored, so a retried reconcile counts each level once.
 */
export function recordEscalations(counter: EscalationCounter, incident: Incident, after: IncidentStatus): void {
  for (const escalation of newlySettledEscalations(incident.status, after)) {
    counter.inc({ severity: incident.spec.severity, level: String(escalation.level), result: escalation.outcome.toLowerCase() });
  }
}
