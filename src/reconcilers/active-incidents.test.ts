import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Incident, IncidentPhase, IncidentState, PlaybookRun } from "../api/v1alpha1/types.generated.ts";
import { decideRunStart } from "../policy/index.ts";
import { playbookHistory } from "./incident/history.ts";
import { incidentMetrics, trackActiveIncidents } from "./incident/incident-metrics.ts";
import { playbookActivity } from "./playbook/playbook-activity.ts";

// The maxActiveIncidents cap, Playbook.status.activeIncidents and soar_active_incidents count the
// same Incidents: those active for the Playbook (api/v1alpha1/lifecycle.ts).

function incident(name: string, phase: IncidentPhase, run: PlaybookRun | undefined, state?: IncidentState): Incident {
  return {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name, namespace: "shop" },
    spec: { severity: "high", title: "t", fingerprint: name, source: { kind: "falco" }, playbooks: ["pb"], ...(state === undefined ? {} : { state }) },
    status: { phase, playbooks: run === undefined ? [] : [run] },
  };
}

const started = "2026-03-01T11:00:00Z";
const incidents = [
  incident("running", "Running", { name: "pb", phase: "Running", startedAt: started }),
  incident("approval", "AwaitingApproval", { name: "pb", phase: "AwaitingApproval", startedAt: started }, "Acknowledged"),
  incident("dry", "Running", { name: "pb", phase: "Running", startedAt: started, dryRun: true }),
  incident("pending", "Pending", { name: "pb", phase: "Pending" }),
  incident("no-run-yet", "Pending", undefined),
  incident("succeeded", "Succeeded", { name: "pb", phase: "Succeeded", startedAt: started }),
  incident("skipped-at-start", "Succeeded", { name: "pb", phase: "Skipped", message: "rate limited" }),
  incident("resolved", "Resolved", { name: "pb", phase: "Running", startedAt: started }, "Resolved"),
  incident("closed", "Closed", { name: "pb", phase: "AwaitingApproval", startedAt: started }, "Closed"),
];
const active = ["running", "approval", "dry"];

describe("active Incidents", () => {
  it("are the same Incidents for the cap, the Playbook's status and the metric", async () => {
    expect(playbookActivity(incidents, "pb").activeIncidents).toBe(active.length);
    expect(playbookHistory(incidents, "pb", "a-new-incident").otherActiveIncidents).toBe(active.length);

    const registry = new Registry();
    const stop = trackActiveIncidents(registry, incidentMetrics(registry), () => incidents);
    const values = (await registry.getSingleMetric("soar_active_incidents")?.get())?.values ?? [];
    expect(values.reduce((sum, value) => sum + value.value, 0)).toBe(active.length);
    stop();

    for (const name of active) {
      const others = incidents.filter((candidate) => candidate.metadata.name !== name);
      expect(playbookActivity(others, "pb").activeIncidents).toBe(active.length - 1);
      expect(playbookHistory(incidents, "pb", name).otherActiveIncidents).toBe(active.length - 1);
    }
  });

  it("refuse a new run exactly when the status shows the cap reached", () => {
    const shown = playbookActivity(incidents, "pb").activeIncidents;
    const history = () => playbookHistory(incidents, "pb", "a-new-incident");
    const now = new Date("2026-03-01T12:00:00Z");
    expect(decideRunStart({ playbook: "pb", limits: { maxActiveIncidents: shown }, severity: "high", criticalReservePercent: 0, history, now })).toMatchObject({ allowed: false, guard: "maxActiveIncidents" });
    expect(decideRunStart({ playbook: "pb", limits: { maxActiveIncidents: shown + 1 }, severity: "high", criticalReservePercent: 0, history, now })).toEqual({ allowed: true });
  });
});
