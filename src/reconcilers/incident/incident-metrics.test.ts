import { describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import { incidentMetrics, recordTransitions, trackActiveIncidents } from "./incident-metrics.ts";
import { anIncident } from "../../testing/objects.ts";

function incident(status: IncidentStatus, state: "Open" | "Resolved" = "Open"): Incident {
  return anIncident({ metadata: { creationTimestamp: new Date("2026-01-01T00:00:00Z") }, spec: { state }, status });
}

describe("incident metrics", () => {
  it("counts finished runs and steps once, and the first response", async () => {
    const registry = new Registry();
    const metrics = incidentMetrics(registry);
    const before = incident({
      firstSeen: "2026-01-01T00:00:00.000Z",
      playbooks: [{ name: "pb", phase: "Running", steps: [{ name: "a", phase: "Running", startedAt: "2026-01-01T00:00:01.000Z" }] }],
    });
    const after: IncidentStatus = {
      firstSeen: "2026-01-01T00:00:00.000Z",
      respondedAt: "2026-01-01T00:00:00.250Z",
      playbooks: [{ name: "pb", phase: "Succeeded", steps: [{ name: "a", phase: "Succeeded", startedAt: "2026-01-01T00:00:01.000Z", finishedAt: "2026-01-01T00:00:03.000Z" }] }],
    };
    recordTransitions(metrics, before, after, () => "job");
    recordTransitions(metrics, incident(after), after, () => "job");
    const text = await registry.metrics();
    expect(text).toContain('soar_playbook_runs_total{result="succeeded"} 1');
    expect(text).toContain('soar_step_duration_seconds_sum{kind="job",result="succeeded"} 2');
    expect(text).toContain('soar_step_duration_seconds_count{kind="job",result="succeeded"} 1');
    expect(text).toContain("soar_alert_to_first_action_seconds_sum 0.25");
    expect(text).toContain("soar_alert_to_first_action_seconds_count 1");
  });

  it("reports open incidents by phase at scrape time and clears the gauge when stopped", async () => {
    const registry = new Registry();
    const metrics = incidentMetrics(registry);
    const cache = [incident({ phase: "Running" }), incident({ phase: "Running" }), incident({}), incident({ phase: "Succeeded" }, "Resolved")];
    const stop = trackActiveIncidents(registry, metrics, () => cache);
    const text = await registry.metrics();
    expect(text).toContain('soar_active_incidents{phase="Running"} 2');
    expect(text).toContain('soar_active_incidents{phase="Pending"} 1');
    expect(text).toContain('soar_active_incidents{phase="Succeeded"} 0');
    stop();
    expect(await registry.metrics()).not.toContain('soar_active_incidents{phase="Running"}');
  });
});
