import { describe, expect, it } from "vitest";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { describeIncident } from "./describe-incident.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

/** An Incident a crypto-miner alert opened: one run waits for an approval, one finished. */
const incident: Incident = {
  apiVersion: "soar.kube-soar.io/v1alpha1",
  kind: "Incident",
  metadata: {
    name: "falco-miner-3f9a0c12de",
    namespace: "batch",
    creationTimestamp: "2026-03-01T11:50:00Z" as unknown as Date,
    labels: { "soar.kube-soar.io/severity": "critical", "soar.kube-soar.io/state": "Acknowledged", "playbook.soar.kube-soar.io/contain": "true" },
  },
  spec: {
    state: "Acknowledged",
    assignee: "alice",
    severity: "critical",
    title: "Outbound connection to a mining pool \u001b[2J",
    fingerprint: "f3a9",
    source: { kind: "falco" },
    event: {
      id: "8a7b6c5d",
      source: "https://falco.org",
      type: "falco.rule.output.v1",
      time: "2026-03-01T11:49:58Z",
      data: { rule: "Detect outbound connections to common miner pool ports", priority: "Critical", output_fields: { "k8s.pod.name": "report-gen-7f9c", "fd.rip": "203.0.113.45" } },
    },
    resources: { namespace: "batch", pod: "report-gen-7f9c", node: "worker-1", workload: "Deployment/report-gen" },
    playbooks: ["contain", "notify"],
    approvals: [{ playbook: "notify", step: "page", decision: "approve", by: "bob", at: "2026-03-01T11:55:00Z", reason: "on call" }],
  },
  status: {
    phase: "AwaitingApproval",
    occurrences: 3,
    firstSeen: "2026-03-01T11:49:58Z",
    lastSeen: "2026-03-01T11:58:00Z",
    alertStatus: "firing",
    observables: [{ type: "ip", value: "203.0.113.45" }, { type: "process", value: "xmrig" }],
    playbooks: [
      {
        name: "contain",
        generation: 2,
        phase: "AwaitingApproval",
        startedAt: "2026-03-01T11:50:01Z",
        steps: [
          { name: "capture", phase: "Succeeded", attempts: 1, startedAt: "2026-03-01T11:50:01Z", finishedAt: "2026-03-01T11:50:03Z", message: "attempt 1: captured 2 KiB", outputs: { bytes: "2048" }, intent: { attempt: 1, id: "x" } },
          { name: "gate", phase: "Waiting", attempts: 1, startedAt: "2026-03-01T11:50:03Z", message: "waiting for approval: isolate report-gen-7f9c?" },
          { name: "isolate", phase: "Pending" },
        ],
      },
      {
        name: "notify",
        phase: "Succeeded",
        startedAt: "2026-03-01T11:50:01Z",
        finishedAt: "2026-03-01T11:55:02Z",
        steps: [{ name: "page", phase: "Succeeded", attempts: 1, message: "approved by bob: on call", decision: { decision: "approve", by: "bob", at: "2026-03-01T11:55:00Z" } }],
      },
    ],
    waitingApprovals: 1,
    respondedAt: "2026-03-01T11:50:03Z",
    conditions: [{ type: "Ready", status: "Unknown", reason: "ApprovalPending", message: "contain/gate: waiting for approval", lastTransitionTime: "2026-03-01T11:50:03Z" }],
    timeline: [
      { time: "2026-03-01T11:50:01Z", type: "Normal", reason: "RunStarted", playbook: "contain", message: "run started" },
      { time: "2026-03-01T11:50:03Z", type: "Normal", reason: "ApprovalPending", playbook: "contain", step: "gate", message: "waiting for approval: isolate report-gen-7f9c?" },
    ],
  },
};

describe("describeIncident", () => {
  it("shows every section of an Incident, readable", () => {
    expect(describeIncident(incident, now)).toMatchInlineSnapshot(`
      "Name:        falco-miner-3f9a0c12de
      Namespace:   batch
      Labels:      soar.kube-soar.io/severity=critical
                   soar.kube-soar.io/state=Acknowledged
                   playbook.soar.kube-soar.io/contain=true
      Created:     2026-03-01T11:50:00.000Z (10m ago)
      Title:       Outbound connection to a mining pool \\u001b[2J
      Severity:    critical
      State:       Acknowledged
      Assignee:    alice
      Phase:       AwaitingApproval
      Waiting:     1 decision(s): contain/gate
      Occurrences: 3, first 10m ago, last 2m ago
      Alert:       firing
      Responded:   2026-03-01T11:50:03Z (9m57s ago)
      Resolved:    <none>
      Revert:      no
      Fingerprint: f3a9
      Event:
        Producer: falco
        Source:   https://falco.org
        Type:     falco.rule.output.v1
        ID:       8a7b6c5d
        Subject:  <none>
        Time:     2026-03-01T11:49:58Z
        Data:
          rule: Detect outbound connections to common miner pool ports
          priority: Critical
          output_fields:
            k8s.pod.name: report-gen-7f9c
            fd.rip: 203.0.113.45
      Resources:
        Namespace: batch
        Pod:       report-gen-7f9c
        Node:      worker-1
        Workload:  Deployment/report-gen
      Observables:
        TYPE      VALUE
        ip        203.0.113.45
        process   xmrig
      Playbooks:
        contain (generation 2): AwaitingApproval, started 9m59s ago
          capture: Succeeded, attempt 1, started 9m59s ago, finished 9m57s ago
            attempt 1: captured 2 KiB
            Outputs:
              bytes: 2048
          gate: Waiting, attempt 1, started 9m57s ago
            waiting for approval: isolate report-gen-7f9c?
          isolate: Pending
        notify: Succeeded, started 9m59s ago
          page: Succeeded, attempt 1
            approved by bob: on call
            Decision: approve by bob at 2026-03-01T11:55:00Z
      Approvals:
        PLAYBOOK   STEP   DECISION   BY    AGE   REASON
        notify     page   approve    bob   5m    on call
      Conditions:
        TYPE    STATUS    REASON            MESSAGE
        Ready   Unknown   ApprovalPending   contain/gate: waiting for approval
      Timeline:
        AGE     TYPE     REASON            FROM           MESSAGE
        9m59s   Normal   RunStarted        contain        run started
        9m57s   Normal   ApprovalPending   contain/gate   waiting for approval: isolate report-gen-7f9c?
      "
    `);
  });

  it("shows threat intel when the status has some", () => {
    const withIntel = { ...incident, status: { ...incident.status, intel: { matches: [{ indicator: "203.0.113.45", feed: "miners" }] } } } as Incident;
    expect(describeIncident(withIntel, now)).toContain("Intel:\n  matches:\n    - indicator: 203.0.113.45\n      feed: miners\n");
    expect(describeIncident(incident, now)).not.toContain("Intel:");
  });

  it("shows a fresh Incident with only its opening occurrence", () => {
    const fresh: Incident = {
      ...incident,
      metadata: { name: "fresh", namespace: "batch" },
      spec: { severity: "low", title: "t", fingerprint: "f", source: { kind: "manual" }, opening: { receivedAt: "2026-03-01T11:59:00Z", eventKey: "k" } },
    };
    delete fresh.status;
    const text = describeIncident(fresh, now);
    expect(text).toContain("Occurrences: 1, first 60s ago, last 60s ago\n");
    expect(text).toContain("Playbooks:\n  <none>\n");
  });
});
