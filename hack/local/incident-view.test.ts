import { describe, expect, it } from "vitest";
import type { Incident, IncidentStatus } from "../../src/api/v1alpha1/types.generated.ts";
import { incidentChanges, isTerminal } from "./incident-view.ts";

function incident(status?: IncidentStatus): Incident {
  return {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name: "falco-miner-1a2b3c4d5e", namespace: "soar-system" },
    spec: {
      severity: "critical",
      title: "Outbound connection to a mining pool",
      fingerprint: "1a2b3c4d5e",
      source: { kind: "falco" },
      playbooks: ["falco-crypto-miner"],
    },
    ...(status === undefined ? {} : { status }),
  };
}

const running: IncidentStatus = {
  phase: "Running",
  playbooks: [
    {
      name: "falco-crypto-miner",
      phase: "Running",
      steps: [
        { name: "forensics", phase: "Running", attempts: 1, message: "attempt 1: Job forensics-1 created" },
        { name: "notify", phase: "Pending" },
      ],
    },
  ],
  timeline: [{ time: "2026-11-28T10:00:00Z", type: "Normal", reason: "StepStarted", playbook: "falco-crypto-miner", step: "forensics", message: "attempt 1" }],
};

const succeeded: IncidentStatus = {
  phase: "Succeeded",
  playbooks: [
    {
      name: "falco-crypto-miner",
      phase: "Succeeded",
      steps: [
        { name: "forensics", phase: "Succeeded", attempts: 1, message: "Job forensics-1 succeeded" },
        { name: "notify", phase: "Pending" },
      ],
    },
  ],
  timeline: [
    ...(running.timeline ?? []),
    { time: "2026-11-28T10:00:02Z", type: "Warning", reason: "StepFailed", playbook: "falco-crypto-miner", step: "notify", message: "no connector" },
  ],
};

describe("incidentChanges", () => {
  const cases: { name: string; previous: Incident | undefined; next: Incident; expected: string[] }[] = [
    {
      name: "a new Incident without status",
      previous: undefined,
      next: incident(),
      expected: [
        "incident falco-miner-1a2b3c4d5e",
        "  opened: critical Outbound connection to a mining pool (playbooks: falco-crypto-miner)",
      ],
    },
    {
      name: "a new Incident already running",
      previous: undefined,
      next: incident(running),
      expected: [
        "incident falco-miner-1a2b3c4d5e",
        "  opened: critical Outbound connection to a mining pool (playbooks: falco-crypto-miner)",
        "  phase Running",
        "  playbook falco-crypto-miner Running",
        "  step falco-crypto-miner/forensics Running (attempt 1): attempt 1: Job forensics-1 created",
        "  step falco-crypto-miner/notify Pending",
        "  2026-11-28T10:00:00Z StepStarted [falco-crypto-miner/forensics] attempt 1",
      ],
    },
    {
      name: "only what changed, and only new timeline entries",
      previous: incident(running),
      next: incident(succeeded),
      expected: [
        "incident falco-miner-1a2b3c4d5e",
        "  phase Succeeded",
        "  playbook falco-crypto-miner Succeeded",
        "  step falco-crypto-miner/forensics Succeeded (attempt 1): Job forensics-1 succeeded",
        "  2026-11-28T10:00:02Z WARNING StepFailed [falco-crypto-miner/notify] no connector",
      ],
    },
    { name: "no change", previous: incident(running), next: incident(running), expected: [] },
  ];
  it.each(cases)("$name", ({ previous, next, expected }) => {
    expect(incidentChanges(previous, next)).toEqual(expected);
  });

  it("shows attacker-controlled control characters as escapes", () => {
    const hostile = incident();
    hostile.spec.title = "pwned\u001b[2J\u202etxt.exe\r\nfake line";
    expect(incidentChanges(undefined, hostile)[1]).toBe(
      "  opened: critical pwned\\u001b[2J\\u202etxt.exe\\u000d\\u000afake line (playbooks: falco-crypto-miner)",
    );
  });
});

describe("isTerminal", () => {
  it.each([
    { phase: undefined, expected: false },
    { phase: "Pending", expected: false },
    { phase: "Running", expected: false },
    { phase: "AwaitingApproval", expected: false },
    { phase: "Succeeded", expected: true },
    { phase: "Failed", expected: true },
    { phase: "Resolved", expected: true },
    { phase: "Closed", expected: true },
  ] as const)("$phase → $expected", ({ phase, expected }) => {
    expect(isTerminal(incident(phase === undefined ? undefined : { phase }))).toBe(expected);
  });
});
