import { describe, expect, it } from "vitest";
import type { Incident, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { playbookHistory } from "./history.ts";
import { anIncident } from "../../testing/objects.ts";

function incident(name: string, state: NonNullable<Incident["spec"]["state"]>, runs: PlaybookRun[]): Incident {
  return anIncident({ metadata: { name, namespace: "shop" }, spec: { fingerprint: name, state }, status: { playbooks: runs } });
}

const started = (at: string, extra: Partial<PlaybookRun> = {}): PlaybookRun => ({ name: "pb", phase: "Running", startedAt: at, steps: [], ...extra });

describe("playbookHistory", () => {
  it("counts the other Incidents' started runs and active Incidents, never the Incident itself", () => {
    const incidents = [
      incident("self", "Open", [started("2026-03-01T12:00:00Z")]),
      incident("open", "Open", [started("2026-03-01T11:00:00Z")]),
      incident("acknowledged", "Acknowledged", [started("2026-03-01T11:30:00Z", { phase: "AwaitingApproval" })]),
      incident("resolved", "Resolved", [started("2026-03-01T10:00:00Z")]),
      incident("blocked", "Open", [started("2026-03-01T11:45:00Z", { phase: "Failed", steps: [{ name: "a", phase: "Blocked" }] })]),
      incident("dry", "Open", [started("2026-03-01T11:50:00Z", { dryRun: true })]),
      incident("pending", "Open", [{ name: "pb", phase: "Pending" }]),
      incident("skipped-at-start", "Open", [{ name: "pb", phase: "Skipped", finishedAt: "2026-03-01T11:52:00Z", message: "rate limited" }]),
      incident("other-playbook", "Open", [{ ...started("2026-03-01T11:55:00Z"), name: "other" }]),
    ];
    const history = playbookHistory(incidents, "pb", "self");
    // Every run that started counts toward the rate limit, whatever became of it (a closed
    // Incident's, a failed one's, a dry one's); a run skipped at start or still Pending never started.
    expect(history.otherRunStarts.map((date) => date.toISOString())).toEqual([
      "2026-03-01T11:00:00.000Z",
      "2026-03-01T11:30:00.000Z",
      "2026-03-01T10:00:00.000Z",
      "2026-03-01T11:45:00.000Z",
      "2026-03-01T11:50:00.000Z",
    ]);
    // Active: a run in progress in an Incident no person resolved or closed (open, acknowledged, dry).
    expect(history.otherActiveIncidents).toBe(3);
  });
});
