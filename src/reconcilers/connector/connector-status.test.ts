import { describe, expect, it } from "vitest";
import type { Condition, Connector } from "../../api/v1alpha1/types.generated.ts";
import { connectorStatus } from "./connector-status.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";

function connector(conditions: Condition[]): Connector {
  return {
    apiVersion: API_VERSION,
    kind: "Connector",
    metadata: { namespace: "soc", name: "hook", generation: 4 },
    spec: { type: "http", url: "https://x.example" },
    status: { conditions, observedGeneration: 3 },
  };
}

describe("connectorStatus", () => {
  const now = new Date("2026-11-23T12:00:00.123Z");
  const ready = { ready: true, reason: "Succeeded", message: "ok" } as const;
  const custom: Condition = { type: "Custom", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z", reason: "X", message: "" };

  it.each([
    ["a first condition", [], "2026-11-23T12:00:00.123Z"],
    ["an unchanged status keeps its transition time", [{ type: "Ready", status: "True" as const, lastTransitionTime: "2026-01-01T00:00:00Z", reason: "Succeeded", message: "" }], "2026-01-01T00:00:00Z"],
    ["a changed status moves it", [{ type: "Ready", status: "False" as const, lastTransitionTime: "2026-01-01T00:00:00Z", reason: "SecretNotFound", message: "" }], "2026-11-23T12:00:00.123Z"],
  ])("%s", (_, previous, transition) => {
    expect(connectorStatus(connector([...previous, custom]), ready, now)).toEqual({
      conditions: [
        { type: "Ready", status: "True", observedGeneration: 4, lastTransitionTime: transition, reason: "Succeeded", message: "ok" },
        custom,
      ],
      observedGeneration: 4,
    });
  });

  it("writes a verdict that is not ready as Ready=False with its reason", () => {
    const [condition] = connectorStatus(connector([]), { ready: false, reason: "SecretForbidden", message: "no" }, now).conditions ?? [];
    expect(condition).toMatchObject({ type: "Ready", status: "False", reason: "SecretForbidden", message: "no" });
  });
});
