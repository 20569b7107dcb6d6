import { V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { newIncident, slim } from "./incident-objects.ts";
import type { WriteRequest } from "./write-request.ts";

const request: WriteRequest = {
  target: { namespace: "shop", baseName: "falco-shell-3f9a0c12de", fingerprint: "f".repeat(64), windowMs: 60_000, playbooks: ["isolate", "notify"] },
  spec: {
    severity: "high",
    title: "Terminal shell in container",
    sourceKind: "falco",
    event: { id: "1", source: "https://falco.org", type: "falco.rule.output.v1", data: { rule: "Terminal shell in container" }, truncated: false },
    resources: { namespace: "shop", pod: "web-0" },
  },
  fold: { hash: "h", alertStatus: "firing", time: "2026-11-28T10:00:00.000Z", observables: [] },
};

describe("newIncident", () => {
  it("pins the alert's spec fields, the target and the opening occurrence in the spec, without status", () => {
    const incident = newIncident(request, "falco-shell-3f9a0c12de-2");
    expect(incident.metadata).toMatchObject({ name: "falco-shell-3f9a0c12de-2", namespace: "shop" });
    expect(incident.metadata.labels).toEqual({
      "soar.kube-soar.io/severity": "high",
      "soar.kube-soar.io/state": "Open",
      "playbook.soar.kube-soar.io/isolate": "true",
      "playbook.soar.kube-soar.io/notify": "true",
    });
    expect(incident.spec).toEqual({
      severity: "high",
      title: "Terminal shell in container",
      fingerprint: "f".repeat(64),
      source: { kind: "falco" },
      event: request.spec.event,
      resources: { namespace: "shop", pod: "web-0" },
      opening: { receivedAt: "2026-11-28T10:00:00.000Z", eventKey: "h" },
      playbooks: ["isolate", "notify"],
    });
    expect(incident.status).toBeUndefined();
  });

  it("pins the opening event's observables", () => {
    const observables = [{ type: "ip" as const, value: "203.0.113.9" }, { type: "ip" as const, value: "203.0.113.9" }];
    expect(newIncident({ ...request, fold: { ...request.fold, observables } }, "x").spec.opening?.observables).toEqual([{ type: "ip", value: "203.0.113.9" }]);
  });

  it("leaves out an empty playbook list", () => {
    expect(newIncident({ ...request, target: { ...request.target, playbooks: [] } }, "x").spec.playbooks).toBeUndefined();
  });
});

describe("slim", () => {
  it("drops the event data and managed fields, keeping what the writer decides on", () => {
    const incident: Incident = {
      ...newIncident(request, "x"),
      metadata: Object.assign(new V1ObjectMeta(), { name: "x", namespace: "shop", resourceVersion: "42", managedFields: [{ manager: "m" }] }),
      status: { occurrences: 3, recentEvents: ["a"] },
    };
    incident.spec.state = "Acknowledged";
    const result = slim(incident);
    expect(result.metadata.managedFields).toBeUndefined();
    expect(result.metadata.resourceVersion).toBe("42");
    expect(result.spec.event).toEqual({ id: "1", source: "https://falco.org", type: "falco.rule.output.v1", truncated: false });
    expect(result.spec).toMatchObject({ state: "Acknowledged", fingerprint: "f".repeat(64) });
    expect(result.status).toEqual({ occurrences: 3, recentEvents: ["a"] });
    expect(incident.spec.event?.data).toEqual({ rule: "Terminal shell in container" });
    expect(incident.metadata.managedFields).toHaveLength(1);
  });
});
