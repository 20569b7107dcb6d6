import { describe, expect, it } from "vitest";
import type { Clock } from "../runtime/clock.ts";
import { ancestorsOf } from "./approval-guard.ts";
import { resolveApprovalPolicy } from "./approval-policy.ts";
import { evaluateGuards } from "./evaluate-guards.ts";
import type { GuardDecision, GuardInput, GuardedGraphNode, GuardedStep } from "./guard-input.ts";
import { protectedNamespaces } from "./protected-namespace-guard.ts";

const now = new Date("2026-11-23T12:00:00Z");
const clock: Clock = { now: () => now };

function isolate(namespace: string | undefined, kind = "Pod"): GuardedStep {
  return { name: "contain", kind: "action", action: "isolatePod", target: { kind, name: "web-0", ...(namespace === undefined ? {} : { namespace }) } };
}

const base: GuardInput = {
  policy: {
    protectedNamespaces: protectedNamespaces("soar-system", ["payments"]),
    privilegedNamespace: "soar-system",
    dryRun: false,
    approvalRequired: resolveApprovalPolicy(),
  },
  playbook: { namespace: "shop", name: "miner", dryRun: false },
  step: isolate("shop"),
  graph: [{ name: "contain", needs: [] }],
};

function input(overrides: Partial<GuardInput>): GuardInput {
  return { ...base, ...overrides };
}

const approvedGraph: GuardedGraphNode[] = [
  { name: "ask", needs: [], approval: { decision: "approve" } },
  { name: "notify", needs: ["ask"] },
  { name: "kill", needs: ["notify"] },
];
const deleteStep: GuardedStep = { name: "kill", kind: "action", action: "deletePod", target: { kind: "Pod", namespace: "shop", name: "web-0" } };

describe("evaluateGuards allows", () => {
  it.each<[string, GuardInput]>([
    ["an action in the playbook's own namespace", base],
    ["a privileged playbook acting in another namespace", input({ playbook: { ...base.playbook, namespace: "soar-system" }, step: isolate("shop") })],
    ["a privileged playbook acting on a node", input({ playbook: { ...base.playbook, namespace: "soar-system" }, step: { name: "c", kind: "action", action: "cordonNode", target: { kind: "Node", name: "worker-1" } } })],
    ["a destructive action after an approved approval step in its ancestry", input({ step: deleteStep, graph: approvedGraph })],
    ["a destructive action whose approval requirement is switched off", input({ step: deleteStep, policy: { ...base.policy, approvalRequired: { ...resolveApprovalPolicy(), deletePod: false } } })],
    ["a connector step of a playbook in any namespace", input({ step: { name: "tell", kind: "connector" } })],
  ])("%s", (_, guardInput) => {
    expect(evaluateGuards(guardInput, clock)).toEqual({ allowed: true });
  });
});

describe("evaluateGuards refuses", () => {
  it.each<[string, GuardInput, Omit<Extract<GuardDecision, { allowed: false }>, "allowed">]>([
    [
      "an action in kube-system",
      input({ playbook: { ...base.playbook, namespace: "soar-system" }, step: isolate("kube-system") }),
      { guard: "protectedNamespace", reason: "ProtectedNamespace", message: "step contain: isolatePod on Pod kube-system/web-0 refused: namespace kube-system is protected" },
    ],
    [
      "an action in the operator's own namespace, even from there",
      input({ playbook: { ...base.playbook, namespace: "soar-system" }, step: isolate("soar-system") }),
      { guard: "protectedNamespace", reason: "ProtectedNamespace", message: "step contain: isolatePod on Pod soar-system/web-0 refused: namespace soar-system is protected" },
    ],
    [
      "an action in a configured protected namespace",
      input({ playbook: { ...base.playbook, namespace: "payments" }, step: isolate("payments") }),
      { guard: "protectedNamespace", reason: "ProtectedNamespace", message: "step contain: isolatePod on Pod payments/web-0 refused: namespace payments is protected" },
    ],
    [
      "an action in another tenant's namespace",
      input({ step: isolate("billing") }),
      {
        guard: "tenancy",
        reason: "TenancyViolation",
        message: "step contain: Playbook shop/miner may act only in namespace shop, not on Pod billing/web-0; only Playbooks in soar-system may act across namespaces",
      },
    ],
    [
      "a cluster-scoped action from a tenant namespace",
      input({ step: { name: "c", kind: "action", action: "cordonNode", target: { kind: "Node", name: "worker-1" } } }),
      {
        guard: "tenancy",
        reason: "TenancyViolation",
        message: "step c: Playbook shop/miner may act only in namespace shop, not on the cluster-scoped Node worker-1; only Playbooks in soar-system may act across namespaces",
      },
    ],
    [
      "a destructive action without an approval step",
      input({ step: deleteStep, graph: [{ name: "kill", needs: [] }] }),
      { guard: "approval", reason: "ApprovalRequired", message: "step kill: deletePod requires an approval first: add an approval step and list it (directly or through other steps) in needs" },
    ],
    [
      "a destructive action whose approval step is not an ancestor",
      input({ step: deleteStep, graph: [{ name: "ask", needs: [], approval: { decision: "approve" } }, { name: "kill", needs: [] }] }),
      { guard: "approval", reason: "ApprovalRequired", message: "step kill: deletePod requires an approval first: add an approval step and list it (directly or through other steps) in needs" },
    ],
    [
      "a destructive action whose approval was rejected",
      input({ step: deleteStep, graph: [{ name: "ask", needs: [], approval: { decision: "reject" } }, { name: "kill", needs: ["ask"] }] }),
      { guard: "approval", reason: "ApprovalRequired", message: "step kill: deletePod requires an approval first: approval step ask has not approved" },
    ],
    [
      "an action the policy makes require approval",
      input({ policy: { ...base.policy, approvalRequired: { ...resolveApprovalPolicy(), isolatePod: true } } }),
      { guard: "approval", reason: "ApprovalRequired", message: "step contain: isolatePod requires an approval first: add an approval step and list it (directly or through other steps) in needs" },
    ],
    [
      "anything in a dry-run playbook",
      input({ playbook: { ...base.playbook, dryRun: true } }),
      { guard: "dryRun", reason: "DryRun", message: "step contain: dry run (Playbook miner): planned, not executed" },
    ],
    [
      "a connector call in operator-wide dry-run",
      input({ policy: { ...base.policy, dryRun: true }, step: { name: "tell", kind: "notify" } }),
      { guard: "dryRun", reason: "DryRun", message: "step tell: dry run (operator-wide): planned, not executed" },
    ],
    [
      "a destructive dry-run step with an undecided approval step: reported as dry run",
      input({ playbook: { ...base.playbook, dryRun: true }, step: deleteStep, graph: [{ name: "ask", needs: [], approval: {} }, { name: "kill", needs: ["ask"] }] }),
      { guard: "dryRun", reason: "DryRun", message: "step kill: dry run (Playbook miner): planned, not executed" },
    ],
    [
      "a protected namespace before anything else, dry run included",
      input({ playbook: { ...base.playbook, dryRun: true }, step: isolate("kube-system") }),
      { guard: "protectedNamespace", reason: "ProtectedNamespace", message: "step contain: isolatePod on Pod kube-system/web-0 refused: namespace kube-system is protected" },
    ],
  ])("%s", (_, guardInput, refusal) => {
    expect(evaluateGuards(guardInput, clock)).toEqual({ allowed: false, ...refusal });
  });
});

describe("ancestorsOf", () => {
  it("walks needs transitively and tolerates cycles and unknown names", () => {
    const graph: GuardedGraphNode[] = [
      { name: "a", needs: ["b"] },
      { name: "b", needs: ["c", "ghost"] },
      { name: "c", needs: ["a"] },
      { name: "d", needs: [] },
    ];
    expect(ancestorsOf("a", graph).map((node) => node.name).sort()).toEqual(["b", "c"]);
    expect(ancestorsOf("d", graph)).toEqual([]);
  });
});

describe("policy configuration", () => {
  it("protects the cluster's namespaces and the operator's own, once each", () => {
    expect(protectedNamespaces("soar-system", ["kube-system", "vault"])).toEqual(["kube-system", "kube-public", "kube-node-lease", "soar-system", "vault"]);
  });
});
