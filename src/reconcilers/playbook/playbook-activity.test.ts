import { describe, expect, it } from "vitest";
import type { Incident, IncidentState, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { playbookActivity } from "./playbook-activity.ts";
import { anIncident } from "../../testing/objects.ts";

function incident(name: string, playbooks: string[], runs: PlaybookRun[], lastSeen?: string, opened?: string, state?: IncidentState): Incident {
  return anIncident({
    metadata: { name, namespace: "shop" },
    spec: {
      fingerprint: name,
      playbooks,
      ...(state === undefined ? {} : { state }),
      ...(opened === undefined ? {} : { opening: { receivedAt: opened, eventKey: `k-${name}` } }),
    },
    status: { playbooks: runs, ...(lastSeen === undefined ? {} : { occurrences: 2, lastSeen }) },
  });
}

describe("playbookActivity", () => {
  it.each([
    { name: "no Incidents", incidents: [], expected: { activeIncidents: 0, lastTriggeredAt: undefined } },
    {
      name: "runs in progress count, finished ones and other playbooks' runs do not",
      incidents: [
        incident("a", ["pb"], [{ name: "pb", phase: "Running" }], "2026-03-01T10:00:00Z"),
        incident("b", ["pb"], [{ name: "pb", phase: "AwaitingApproval" }], "2026-03-01T11:00:00Z"),
        incident("c", ["pb"], [{ name: "pb", phase: "Succeeded" }], "2026-03-01T09:00:00Z"),
        incident("d", ["pb", "other"], [{ name: "pb", phase: "Failed" }, { name: "other", phase: "Running" }], "2026-03-01T08:00:00Z"),
        incident("e", ["other"], [{ name: "other", phase: "Running" }], "2026-03-01T12:00:00Z"),
      ],
      expected: { activeIncidents: 2, lastTriggeredAt: "2026-03-01T11:00:00Z" },
    },
    {
      name: "an Incident opened a moment ago counts its opening occurrence, its run not yet started",
      incidents: [incident("f", ["pb"], [], undefined, "2026-03-01T13:00:00.250Z")],
      expected: { activeIncidents: 0, lastTriggeredAt: "2026-03-01T13:00:00.250Z" },
    },
    {
      // Pending: the run waits for its Playbook to become Ready and has not started.
      name: "a Pending run has not started: not active",
      incidents: [incident("g", ["pb"], [{ name: "pb", phase: "Pending" }], "2026-03-01T10:00:00Z")],
      expected: { activeIncidents: 0, lastTriggeredAt: "2026-03-01T10:00:00Z" },
    },
    {
      name: "a resolved or closed Incident is not active, though its run was left Running",
      incidents: [
        incident("h", ["pb"], [{ name: "pb", phase: "Running" }], "2026-03-01T10:00:00Z", undefined, "Resolved"),
        incident("i", ["pb"], [{ name: "pb", phase: "AwaitingApproval" }], "2026-03-01T09:00:00Z", undefined, "Closed"),
      ],
      expected: { activeIncidents: 0, lastTriggeredAt: "2026-03-01T10:00:00Z" },
    },
  ])("$name", ({ incidents, expected }) => {
    expect(playbookActivity(incidents, "pb")).toEqual(expected);
  });
});
