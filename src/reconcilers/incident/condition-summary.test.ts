import { describe, expect, it } from "vitest";
import type { PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import { summarizeIncident, type SummaryInput } from "./condition-summary.ts";

const waitingApproval: StepState = { name: "gate", phase: "Waiting", attempts: 1, message: "waiting for approval: delete web-0?" };
const retrying: StepState = { name: "scan", phase: "Waiting", attempts: 1, intent: { attempt: 1, id: "j" }, message: "retrying" };
const run = (name: string, phase: PlaybookRun["phase"], steps: StepState[] = [], message?: string): PlaybookRun => ({
  name,
  phase,
  steps,
  ...(message === undefined ? {} : { message }),
});

function summary(given: Partial<SummaryInput>) {
  const result = summarizeIncident({ finalState: undefined, mayStart: true, runs: [], waits: [], ...given });
  return {
    phase: result.phase,
    conditions: Object.fromEntries(result.conditions.map((condition) => [condition.type, `${condition.status}/${condition.reason}`])),
    messages: Object.fromEntries(result.conditions.map((condition) => [condition.type, condition.message])),
  };
}

describe("summarizeIncident", () => {
  it.each([
    {
      name: "resolved by a person",
      given: { finalState: "Resolved" as const, runs: [run("pb", "Running")] },
      phase: "Resolved",
      conditions: { Ready: "True/Resolved", Reconciling: "False/Resolved", Stalled: "False/Resolved", AwaitingApproval: "False/Resolved" },
    },
    {
      name: "closed by a person",
      given: { finalState: "Closed" as const },
      phase: "Closed",
      conditions: { Ready: "True/Closed", Reconciling: "False/Closed", Stalled: "False/Closed", AwaitingApproval: "False/Closed" },
    },
    {
      name: "no playbooks",
      given: {},
      phase: "Succeeded",
      conditions: { Ready: "True/NoPlaybooks", Reconciling: "False/NoPlaybooks", Stalled: "False/NoPlaybooks", AwaitingApproval: "False/NoPlaybooks" },
    },
    {
      name: "a run in progress",
      given: { runs: [run("pb", "Running")] },
      phase: "Running",
      conditions: { Ready: "Unknown/Progressing", Reconciling: "True/Progressing", Stalled: "False/Progressing", AwaitingApproval: "False/Progressing" },
    },
    {
      name: "a step retrying is not an approval",
      given: { runs: [run("pb", "Running", [retrying])] },
      phase: "Running",
      conditions: { Ready: "Unknown/Progressing", Reconciling: "True/Progressing", Stalled: "False/Progressing", AwaitingApproval: "False/Progressing" },
    },
    {
      name: "waiting for an approval",
      given: { runs: [run("pb", "AwaitingApproval", [waitingApproval])] },
      phase: "AwaitingApproval",
      conditions: { Ready: "Unknown/ApprovalPending", Reconciling: "True/ApprovalPending", Stalled: "False/ApprovalPending", AwaitingApproval: "True/ApprovalPending" },
    },
    {
      name: "one run waits for approval while another runs",
      given: { runs: [run("a", "AwaitingApproval", [waitingApproval]), run("b", "Running")] },
      phase: "Running",
      conditions: { Ready: "Unknown/Progressing", Reconciling: "True/Progressing", Stalled: "False/Progressing", AwaitingApproval: "True/ApprovalPending" },
    },
    {
      name: "all runs succeeded or were skipped",
      given: { runs: [run("a", "Succeeded"), run("b", "Skipped")] },
      phase: "Succeeded",
      conditions: { Ready: "True/RunsSucceeded", Reconciling: "False/RunsSucceeded", Stalled: "False/RunsSucceeded", AwaitingApproval: "False/RunsSucceeded" },
    },
    {
      name: "a run failed",
      given: { runs: [run("a", "Succeeded"), run("b", "Failed", [], "step scan failed")] },
      phase: "Failed",
      conditions: { Ready: "False/RunFailed", Reconciling: "False/RunFailed", Stalled: "False/RunFailed", AwaitingApproval: "False/RunFailed" },
    },
    {
      name: "a run failed while another still runs",
      given: { runs: [run("a", "Running"), run("b", "Failed")] },
      phase: "Running",
      conditions: { Ready: "False/RunFailed", Reconciling: "True/Progressing", Stalled: "False/RunFailed", AwaitingApproval: "False/RunFailed" },
    },
    {
      name: "waiting for a Playbook not processed yet",
      given: { runs: [run("pb", "Pending")], waits: [{ playbook: "pb", stalled: false, message: "Playbook pb is not processed yet" }] },
      phase: "Pending",
      conditions: { Ready: "Unknown/PlaybookNotReady", Reconciling: "True/Progressing", Stalled: "False/PlaybookNotReady", AwaitingApproval: "False/PlaybookNotReady" },
    },
    {
      name: "stalled on an invalid Playbook",
      given: { runs: [run("pb", "Pending")], waits: [{ playbook: "pb", stalled: true, message: "Playbook pb is not Ready" }] },
      phase: "Pending",
      conditions: { Ready: "False/PlaybookNotReady", Reconciling: "False/PlaybookNotReady", Stalled: "True/PlaybookNotReady", AwaitingApproval: "False/PlaybookNotReady" },
    },
    {
      name: "paused",
      given: { mayStart: false, runs: [run("pb", "Running")] },
      phase: "Running",
      conditions: { Ready: "Unknown/Paused", Reconciling: "True/Paused", Stalled: "False/Paused", AwaitingApproval: "False/Paused" },
    },
  ])("$name", ({ given, phase, conditions }) => {
    const result = summary(given);
    expect(result.phase).toBe(phase);
    expect(result.conditions).toEqual(conditions);
  });

  it("names the waiting approvals and the failed runs in messages", () => {
    expect(summary({ runs: [run("pb", "AwaitingApproval", [waitingApproval])] }).messages["AwaitingApproval"]).toBe(
      "pb/gate: waiting for approval: delete web-0?",
    );
    expect(summary({ runs: [run("pb", "Failed", [], "step scan failed")] }).messages["Ready"]).toBe("playbook pb: step scan failed");
  });
});
