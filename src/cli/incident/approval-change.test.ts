import { describe, expect, it } from "vitest";
import type { Incident, IncidentApproval, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { CliFailure, UsageError } from "../cli-errors.ts";
import { approvalChange, type ApprovalRequest } from "./approval-change.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

function incident(runs: PlaybookRun[], approvals?: IncidentApproval[], state: Incident["spec"]["state"] = "Open"): Incident {
  return {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name: "inc", namespace: "ns" },
    spec: { severity: "high", title: "t", fingerprint: "f", source: { kind: "falco" }, state, ...(approvals === undefined ? {} : { approvals }) },
    status: { playbooks: runs },
  };
}

const waiting = (playbook: string, step = "gate"): PlaybookRun => ({ name: playbook, phase: "AwaitingApproval", steps: [{ name: step, phase: "Waiting", attempts: 1 }] });
const request = (step: string, extra: Partial<ApprovalRequest> = {}): ApprovalRequest => ({ step, decision: "approve", by: "alice", reason: undefined, now, ...extra });

describe("approvalChange", () => {
  it("appends the decision as the caller, creating the list, tested to be still absent", () => {
    expect(approvalChange(incident([waiting("contain")]), request("gate", { reason: "confirmed" }))).toEqual({
      kind: "write",
      operations: [
        { op: "test", path: "/spec/approvals", value: null },
        { op: "add", path: "/spec/approvals", value: [{ playbook: "contain", step: "gate", decision: "approve", by: "alice", at: now.toISOString(), reason: "confirmed" }] },
      ],
      done: "step contain/gate approved as alice",
    });
  });

  it("appends to recorded decisions, tested to be still the ones read", () => {
    const recorded: IncidentApproval[] = [{ playbook: "notify", step: "page", decision: "approve", by: "bob" }];
    const change = approvalChange(incident([waiting("contain")], recorded), request("contain/gate", { decision: "reject" }));
    expect(change).toMatchObject({
      operations: [
        { op: "test", path: "/spec/approvals", value: recorded },
        { op: "add", path: "/spec/approvals/-", value: { playbook: "contain", step: "gate", decision: "reject", by: "alice" } },
      ],
      done: "step contain/gate rejected as alice",
    });
  });

  it("asks for the playbook when two wait on a step of that name", () => {
    expect(() => approvalChange(incident([waiting("contain"), waiting("notify")]), request("gate"))).toThrow(
      new UsageError('step "gate" waits in several playbooks of Incident "inc": name one of contain/gate, notify/gate'),
    );
    expect(approvalChange(incident([waiting("contain"), waiting("notify")]), request("notify/gate")).kind).toBe("write");
  });

  it.each([
    ["a step that is not waiting", incident([{ name: "contain", phase: "Running", steps: [{ name: "gate", phase: "Succeeded" }] }]), "gate", 'step contain/gate of Incident "inc" is Succeeded, not waiting for a decision (no step of it waits for a decision)'],
    ["a step that does not exist", incident([waiting("contain")]), "isolate", 'Incident "inc" has no step "isolate" (waiting: contain/gate)'],
    ["a step already decided", incident([waiting("contain")], [{ playbook: "contain", step: "gate", decision: "reject", by: "bob" }]), "gate", 'step contain/gate of Incident "inc" is already decided: reject by bob; a recorded decision never changes'],
    ["a closed Incident", incident([waiting("contain")], undefined, "Closed"), "gate", 'Incident "inc" is Closed: no step of it runs any more'],
  ])("refuses %s", (_case, given, step, message) => {
    expect(() => approvalChange(given, request(step))).toThrow(new CliFailure(message));
  });
});
