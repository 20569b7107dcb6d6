import { describe, expect, it } from "vitest";
import { occurrenceStatus } from "./incident-occurrences.ts";
import type { Incident } from "./types.generated.ts";
import { anIncident } from "../../testing/objects.ts";

const defaultOpening = { receivedAt: "2026-03-01T12:00:00.123Z", eventKey: "k1", observables: [{ type: "ip" as const, value: "203.0.113.9" }] };

function incident(extra: Partial<Incident> = {}, opening: Incident["spec"]["opening"] | null = defaultOpening): Incident {
  return { ...anIncident({ spec: opening === null ? {} : { opening } }), ...extra };
}

describe("occurrenceStatus", () => {
  it("counts the opening occurrence while status records none", () => {
    expect(occurrenceStatus(incident())).toEqual({
      occurrences: 1,
      firstSeen: "2026-03-01T12:00:00.123Z",
      lastSeen: "2026-03-01T12:00:00.123Z",
      recentEvents: ["k1"],
      alertStatus: "firing",
      observables: [{ type: "ip", value: "203.0.113.9" }],
    });
  });

  it("keeps the other status fields the controller wrote", () => {
    const status = occurrenceStatus(incident({ status: { phase: "Running", respondedAt: "2026-03-01T12:00:01Z" } }));
    expect(status).toMatchObject({ phase: "Running", respondedAt: "2026-03-01T12:00:01Z", occurrences: 1, recentEvents: ["k1"] });
  });

  it("is the status as written once status records occurrences", () => {
    const written = { occurrences: 3, firstSeen: "2026-03-01T12:00:00Z", lastSeen: "2026-03-01T12:05:00Z", recentEvents: ["k1", "k2", "k3"] };
    expect(occurrenceStatus(incident({ status: written }))).toEqual(written);
  });

  it("is the status as written for an Incident nobody opened through intake", () => {
    expect(occurrenceStatus(incident({ status: { phase: "Pending" } }, null))).toEqual({ phase: "Pending" });
    expect(occurrenceStatus(incident({}, null))).toEqual({});
  });

  it("leaves observables out when the opening event had none", () => {
    expect(occurrenceStatus(incident({}, { receivedAt: "2026-03-01T12:00:00Z", eventKey: "k1" }))).not.toHaveProperty("observables");
  });
});
