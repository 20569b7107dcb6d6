import { describe, expect, it } from "vitest";
import type { Incident } from "../api/v1alpha1/types.generated.ts";
import { variableFields } from "../expr/index.ts";
import { incidentVariable } from "./step-variables.ts";
import { API_VERSION } from "../api/v1alpha1/constants.ts";

const incident: Incident = {
  apiVersion: API_VERSION,
  kind: "Incident",
  metadata: { name: "inc", namespace: "shop" },
  spec: {
    severity: "high",
    title: "Terminal shell in container",
    fingerprint: "fp",
    source: { kind: "falco" },
    resources: { namespace: "shop", pod: "web-0" },
    opening: { receivedAt: "2026-03-01T12:00:00.000Z", eventKey: "k1", observables: [{ type: "ip", value: "203.0.113.9" }] },
  },
};

describe("incidentVariable", () => {
  it("has exactly the fields expressions are checked against at compile time", () => {
    expect(Object.keys(incidentVariable(incident)).sort()).toEqual([...(variableFields.incident ?? [])].sort());
  });

  it("counts the opening occurrence before any status is written", () => {
    expect(incidentVariable(incident)).toMatchObject({
      occurrences: 1,
      firstSeen: "2026-03-01T12:00:00.000Z",
      lastSeen: "2026-03-01T12:00:00.000Z",
      observables: [{ type: "ip", value: "203.0.113.9" }],
    });
  });
});
