import { describe, expect, it } from "vitest";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { incidentTable } from "./incident-table.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

const incidents: Incident[] = [
  {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name: "miner", namespace: "batch", creationTimestamp: "2026-03-01T11:00:00Z" as unknown as Date },
    spec: { severity: "critical", state: "Acknowledged", assignee: "alice", title: "Mining\u001b[2J", fingerprint: "f", source: { kind: "falco" }, playbooks: ["contain", "notify"] },
    status: { phase: "AwaitingApproval", occurrences: 12, lastSeen: "2026-03-01T11:59:00Z", waitingApprovals: 1 },
  },
  {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name: "fresh", namespace: "shop", creationTimestamp: "2026-03-01T11:59:30Z" as unknown as Date },
    spec: { severity: "low", title: "t", fingerprint: "g", source: { kind: "manual" }, opening: { receivedAt: "2026-03-01T11:59:30Z", eventKey: "k" } },
  },
];

describe("incidentTable", () => {
  it("shows the default columns, the occurrences of a fresh Incident from its opening", () => {
    expect(incidentTable(incidents, { wide: false, allNamespaces: false, now })).toBe(
      "NAME    SEVERITY   STATE          PHASE              PLAYBOOKS        OCCURRENCES   AGE\n" +
        "miner   critical   Acknowledged   AwaitingApproval   contain,notify   12            60m\n" +
        "fresh   low        Open           Pending            <none>           1             30s\n",
    );
  });

  it("adds NAMESPACE with -A and the wide columns, made printable", () => {
    const lines = incidentTable(incidents, { wide: true, allNamespaces: true, now }).split("\n");
    expect(lines[0]).toBe("NAMESPACE   NAME    SEVERITY   STATE          PHASE              PLAYBOOKS        OCCURRENCES   AGE   WAITING   ASSIGNEE   LAST SEEN   TITLE");
    expect(lines[1]).toBe("batch       miner   critical   Acknowledged   AwaitingApproval   contain,notify   12            60m   1         alice      60s         Mining\\u001b[2J");
    expect(lines[2]).toBe("shop        fresh   low        Open           Pending            <none>           1             30s   0         <none>     30s         t");
  });
});
