import { describe, expect, it } from "vitest";
import type { Incident, IncidentState } from "../../api/v1alpha1/types.generated.ts";
import { CliFailure } from "../cli-errors.ts";
import { assigneeChange, stateChange, type StateRequest } from "./state-change.ts";

function incident(state: IncidentState | undefined, extra: Partial<Incident["spec"]> = {}): Incident {
  const labels = { "soar.kube-soar.io/severity": "high", "soar.kube-soar.io/state": state ?? "Open" };
  return {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name: "inc", namespace: "ns", labels },
    spec: { severity: "high", title: "t", fingerprint: "f", source: { kind: "falco" }, ...(state === undefined ? {} : { state }), ...extra },
  };
}

describe("stateChange", () => {
  it("sets the state, tested against the state read, with its label in the same patch", () => {
    expect(stateChange(incident("Open"), { to: "Acknowledged" })).toEqual({
      kind: "write",
      operations: [
        { op: "test", path: "/spec/state", value: "Open" },
        { op: "add", path: "/spec/state", value: "Acknowledged" },
        { op: "add", path: "/metadata/labels/soar.kube-soar.io~1state", value: "Acknowledged" },
      ],
      done: "acknowledged",
    });
  });

  it("asks for the revert with a resolve, also of an Incident already resolved", () => {
    const change = stateChange(incident("Resolved"), { to: "Resolved", revert: true });
    expect(change).toMatchObject({ kind: "write", done: "resolved (reversible actions will be undone)" });
    expect(change.kind === "write" ? change.operations : []).toContainEqual({ op: "add", path: "/spec/revert", value: true });
  });

  it.each<[IncidentState | undefined, StateRequest, string]>([
    ["Acknowledged", { to: "Acknowledged" }, "unchanged (already Acknowledged)"],
    ["Resolved", { to: "Resolved", revert: false }, "unchanged (already Resolved)"],
    ["Closed", { to: "Closed" }, "unchanged (already Closed)"],
  ])("writes nothing for a %s Incident asked to be %o", (state, request, message) => {
    expect(stateChange(incident(state), request)).toEqual({ kind: "unchanged", message });
  });

  it("writes nothing when a revert is asked again", () => {
    expect(stateChange(incident("Resolved", { revert: true }), { to: "Resolved", revert: true })).toEqual({ kind: "unchanged", message: "unchanged (already Resolved)" });
  });

  it.each<[IncidentState, StateRequest]>([
    ["Resolved", { to: "Acknowledged" }],
    ["Closed", { to: "Acknowledged" }],
    ["Closed", { to: "Resolved", revert: true }],
  ])("refuses to take a %s Incident back to %o", (state, request) => {
    expect(() => stateChange(incident(state), request)).toThrow(CliFailure);
  });

  it("tests an unset state as absent", () => {
    const change = stateChange(incident(undefined), { to: "Closed" });
    expect(change.kind === "write" ? change.operations[0] : undefined).toEqual({ op: "test", path: "/spec/state", value: null });
  });

  it("adds the whole label map to an Incident without labels", () => {
    const bare = incident("Open");
    delete bare.metadata.labels;
    const change = stateChange(bare, { to: "Closed" });
    expect(change.kind === "write" ? change.operations.at(-1) : undefined).toEqual({
      op: "add",
      path: "/metadata/labels",
      value: { "soar.kube-soar.io/severity": "high", "soar.kube-soar.io/state": "Closed" },
    });
  });
});

describe("assigneeChange", () => {
  it("sets the assignee unless it is already the one", () => {
    expect(assigneeChange(incident("Open"), "alice")).toEqual({ kind: "write", operations: [{ op: "add", path: "/spec/assignee", value: "alice" }], done: "assigned to alice" });
    expect(assigneeChange(incident("Open", { assignee: "alice" }), "alice")).toEqual({ kind: "unchanged", message: "unchanged (already assigned to alice)" });
  });
});
