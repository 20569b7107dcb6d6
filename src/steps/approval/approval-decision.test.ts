import { describe, expect, it } from "vitest";
import type { IncidentApproval } from "../../api/v1alpha1/types.generated.ts";
import { decideApproval, type ApprovalInput } from "./approval-decision.ts";

const since = new Date("2026-01-01T10:00:00Z");
const at = (seconds: number): Date => new Date(since.getTime() + seconds * 1000);
const approve: IncidentApproval = { playbook: "pb", step: "gate", decision: "approve", by: "alice", at: "2026-01-01T10:00:05Z", reason: "known miner" };
const reject: IncidentApproval = { playbook: "pb", step: "gate", decision: "reject", by: "bob", at: "2026-01-01T10:00:09Z" };

function input(overrides: Partial<ApprovalInput>): ApprovalInput {
  return { approvals: [], playbook: "pb", step: "gate", waitingSince: since, timeoutMs: undefined, onTimeout: undefined, now: at(10), ...overrides };
}

describe("decideApproval", () => {
  it.each([
    { name: "no decision, no timeout: wait for the spec to change", given: {}, expected: { kind: "waiting", recheckAfterMs: undefined } },
    { name: "no decision before the timeout: recheck at the deadline", given: { timeoutMs: 60_000 }, expected: { kind: "waiting", recheckAfterMs: 50_000 } },
    {
      name: "approved by a person",
      given: { approvals: [approve] },
      expected: { kind: "decided", decision: { decision: "approve", by: "alice", at: "2026-01-01T10:00:05Z" }, reason: "known miner" },
    },
    {
      name: "rejected by a person",
      given: { approvals: [reject], timeoutMs: 60_000 },
      expected: { kind: "decided", decision: { decision: "reject", by: "bob", at: "2026-01-01T10:00:09Z" }, reason: undefined },
    },
    {
      name: "the first decision wins",
      given: { approvals: [reject, approve] },
      expected: { kind: "decided", decision: { decision: "reject", by: "bob", at: "2026-01-01T10:00:09Z" }, reason: undefined },
    },
    {
      name: "decisions for other steps or playbooks are ignored",
      given: { approvals: [{ ...approve, step: "other" }, { ...approve, playbook: "other" }] },
      expected: { kind: "waiting", recheckAfterMs: undefined },
    },
    {
      name: "timeout rejects by default",
      given: { timeoutMs: 5_000 },
      expected: { kind: "decided", decision: { decision: "reject", at: "2026-01-01T10:00:05.000Z", timedOut: true }, reason: undefined },
    },
    {
      name: "timeout approves when told to",
      given: { timeoutMs: 10_000, onTimeout: "approve" as const },
      expected: { kind: "decided", decision: { decision: "approve", at: "2026-01-01T10:00:10.000Z", timedOut: true }, reason: undefined },
    },
    {
      name: "a person's decision after the deadline still counts while waiting",
      given: { timeoutMs: 1_000, approvals: [approve] },
      expected: { kind: "decided", decision: { decision: "approve", by: "alice", at: "2026-01-01T10:00:05Z" }, reason: "known miner" },
    },
    {
      name: "a decision without a time is stamped now",
      given: { approvals: [{ playbook: "pb", step: "gate", decision: "approve" as const, by: "carol" }] },
      expected: { kind: "decided", decision: { decision: "approve", by: "carol", at: "2026-01-01T10:00:10.000Z" }, reason: undefined },
    },
  ])("$name", ({ given, expected }) => {
    expect(decideApproval(input(given))).toEqual(expected);
  });
});
