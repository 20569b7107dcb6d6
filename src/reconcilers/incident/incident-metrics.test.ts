import { describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import { incidentMetrics, recordTransitions, trackActiveIncidents } from "./incident-metrics.ts";
import { anIncident } from "../../testing/objects.ts";

function incident(status: IncidentStatus, state: "Open" | "Resolved" | "Closed" = "Open"): Incident {
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

  it("reports active incidents (a run in progress, not resolved or closed) by phase at scrape time and clears the gauge when stopped", async () => {
    const registry = new Registry();
    const metrics = incidentMetrics(registry);
    const running = { name: "pb", phase: "Running" as const, startedAt: "2026-01-01T00:00:01.000Z" };
    const cache = [
      incident({ phase: "Running", playbooks: [running] }),
      incident({ phase: "Running", playbooks: [running, { name: "other", phase: "Succeeded" }] }),
      incident({ phase: "AwaitingApproval", playbooks: [{ ...running, phase: "AwaitingApproval" }] }),
      incident({}),
      incident({ phase: "Pending", playbooks: [{ name: "pb", phase: "Pending" }] }),
      incident({ phase: "Succeeded", playbooks: [{ ...running, phase: "Succeeded" }] }),
      incident({ phase: "Succeeded", playbooks: [{ name: "pb", phase: "Skipped", message: "rate limited" }] }),
      incident({ phase: "Resolved", playbooks: [running] }, "Resolved"),
      incident({ phase: "Closed", playbooks: [running] }, "Closed"),
    ];
    const stop = trackActiveIncidents(registry, metrics, () => cache);
    const text = await registry.metrics();
    expect(text).toContain('soar_active_incidents{phase="Running"} 2');
    expect(text).toContain('soar_active_incidents{phase="AwaitingApproval"} 1');
    expect(text).toContain('soar_active_incidents{phase="Pending"} 0');
    expect(text).toContain('soar_active_incidents{phase="Succeeded"} 0');
    expect(text).toContain('soar_active_incidents{phase="Resolved"} 0');
    expect(text).toContain('soar_active_incidents{phase="Closed"} 0');
    stop();
    expect(await registry.metrics()).not.toContain('soar_active_incidents{phase="Running"}');
  });
});
