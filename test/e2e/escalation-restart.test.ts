import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { API_VERSION, GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ConnectorSpec, Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { FAST_FAILOVER_FLAGS, OperatorTestbed } from "../support/operator-process.ts";
import { RecordingEndpoint } from "../support/recording-endpoint.ts";

const PLAYBOOK = "page-until-acknowledged";
/** Long enough for a standby to take over a SIGKILLed leader's Lease (4 s) and reconcile before each level. */
const LEVEL_1_AFTER_MS = 12_000;
const LEVEL_2_AFTER_MS = 32_000;

function outcomeOf(incident: Incident, level: number): string | undefined {
  return incident.status?.escalations?.find((escalation) => escalation.level === level)?.outcome;
}

describe("escalation across SIGKILLs of the operator process", () => {
  let bed: OperatorTestbed;
  let endpoint: RecordingEndpoint;

  beforeAll(async () => {
    // The local endpoint is on loopback, which only Connectors of the operator's namespace may be allowed to reach.
    bed = await OperatorTestbed.start({ prefix: "escalate", flags: { ...FAST_FAILOVER_FLAGS, "connector-allowed-destinations": "127.0.0.1/32" } });
    endpoint = await RecordingEndpoint.start();
  });

  afterAll(async () => {
    await endpoint.stop();
    await bed.close();
  });

  it("fires each level exactly once, on time, although the leader is SIGKILLed after the Incident opened and again after level 1", { timeout: 240_000 }, async () => {
    onTestFailed(async () => {
      console.log(await bed.diagnostics());
      console.log(JSON.stringify(endpoint.received.map((request) => ({ at: request.at, key: request.headers["idempotency-key"] }))));
    });
    const first = await bed.start("escalate-a");
    await bed.waitForLeader("escalate-a");
    const spec: ConnectorSpec = { type: "http", url: endpoint.url, allowInsecureHTTP: true };
    await bed.kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: bed.namespace,
      plural: Plural.Connector,
      body: { apiVersion: API_VERSION, kind: "Connector", metadata: { name: "pager", namespace: bed.namespace }, spec },
    });
    await bed.createPlaybook(PLAYBOOK, {
      trigger: bed.trigger(),
      // The run waits for an approval nobody gives: it calls nothing, only the escalation does.
      steps: [{ name: "gate", approval: { message: "contain ${{ incident.resources.pod }}?" } }],
      escalation: {
        levels: [
          { after: `${LEVEL_1_AFTER_MS / 1000}s`, connector: "pager" },
          { after: `${LEVEL_2_AFTER_MS / 1000}s`, connector: "pager" },
        ],
      },
    });
    const standby = await bed.start("escalate-b");
    await standby.waitUntilReady();

    await bed.publish("miner-0");
    const opened = await bed.incidentAbout("miner-0");
    expect(await first.kill()).toEqual({ code: null, signal: "SIGKILL" });
    const name = opened.metadata.name ?? "";
    const uid = opened.metadata.uid ?? "";
    const openedAt = new Date(String(opened.metadata.creationTimestamp)).getTime();
    expect(endpoint.received).toEqual([]);

    // The standby takes over, and level 1 falls due on the timer it derives from the Incident's status.
    await bed.waitForLeader("escalate-b");
    const level1 = await bed.waitForIncident(name, (incident) => outcomeOf(incident, 1) === "Sent", "to escalate to level 1");
    expect(outcomeOf(level1, 2)).toBeUndefined();
    expect(endpoint.withKey(`${uid}/escalation/1`)).toHaveLength(1);
    expect(endpoint.received[0]?.at.getTime()).toBeGreaterThanOrEqual(openedAt + LEVEL_1_AFTER_MS);

    // The new leader dies too; a new process with the first identity takes over and sends level 2, and level 1 never again.
    expect(await standby.kill()).toEqual({ code: null, signal: "SIGKILL" });
    await bed.start("escalate-a");
    await bed.waitForLeader("escalate-a");
    const level2 = await bed.waitForIncident(name, (incident) => outcomeOf(incident, 2) === "Sent", "to escalate to level 2");
    expect(level2.status?.escalations?.map((escalation) => [escalation.level, escalation.outcome, escalation.id])).toEqual([
      [1, "Sent", `${uid}/escalation/1`],
      [2, "Sent", `${uid}/escalation/2`],
    ]);
    expect(endpoint.received.map((request) => request.headers["idempotency-key"])).toEqual([`${uid}/escalation/1`, `${uid}/escalation/2`]);
    expect(endpoint.received[1]?.at.getTime()).toBeGreaterThanOrEqual(openedAt + LEVEL_2_AFTER_MS);
    expect(level2.status?.timeline?.filter((entry) => entry.reason === "Escalated")).toHaveLength(2);
  });
});
