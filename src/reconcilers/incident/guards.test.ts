import { describe, expect, it } from "vitest";
import type { Incident, IncidentState } from "../../api/v1alpha1/types.generated.ts";
import { decideGuards } from "./guards.ts";
import { anIncident } from "../../testing/objects.ts";

function incident(state: IncidentState | undefined, deleting = false): Incident {
  return anIncident({
    metadata: deleting ? { deletionTimestamp: new Date("2026-01-01T00:00:00Z") } : {},
    spec: state === undefined ? {} : { state },
  });
}

describe("decideGuards", () => {
  it.each([
    { name: "being deleted: ignore, whatever the state", state: "Open" as const, deleting: true, paused: false, expected: { kind: "ignore" } },
    { name: "resolved: finalize", state: "Resolved" as const, deleting: false, paused: false, expected: { kind: "finalize", state: "Resolved" } },
    { name: "closed: finalize even when paused", state: "Closed" as const, deleting: false, paused: true, expected: { kind: "finalize", state: "Closed" } },
    { name: "no state means open: run", state: undefined, deleting: false, paused: false, expected: { kind: "run", mayStart: true } },
    { name: "acknowledged: run", state: "Acknowledged" as const, deleting: false, paused: false, expected: { kind: "run", mayStart: true } },
    { name: "paused: run without starting anything", state: "Open" as const, deleting: false, paused: true, expected: { kind: "run", mayStart: false } },
  ])("$name", ({ state, deleting, paused, expected }) => {
    expect(decideGuards({ incident: incident(state, deleting), paused })).toEqual(expected);
  });
});
