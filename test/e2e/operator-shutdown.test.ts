import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { FAST_FAILOVER_FLAGS, OperatorTestbed, TEST_LEASE } from "../support/operator-process.ts";

const PLAYBOOK = "collect-on-alert";

describe("graceful shutdown of the leader on SIGTERM", () => {
  let bed: OperatorTestbed;

  beforeAll(async () => {
    bed = await OperatorTestbed.start({ prefix: "shutdown", flags: FAST_FAILOVER_FLAGS });
  });

  afterAll(async () => {
    await bed.close();
  });

  it("exits 0 having released the Lease, and the standby leads and runs the next incident", async () => {
    onTestFailed(async () => { console.log(await bed.diagnostics()); });
    const leader = await bed.start("operator-a");
    await bed.waitForLeader("operator-a");
    await bed.createPlaybook(PLAYBOOK, {
      trigger: bed.trigger(),
      steps: [{ name: "collect", job: { image: "registry.example.com/soar/collector:1.0.0", args: ["--pod=${{ incident.resources.pod }}"] } }],
    });
    const standby = await bed.start("operator-b");
    await standby.waitUntilReady();
    expect(await bed.leaseHolder()).toBe("operator-a");

    expect(await leader.terminate()).toEqual({ code: 0, signal: null });
    // Released means nobody holds it, or the standby took it at its next try: never the old leader.
    expect(["", "operator-b"]).toContain(await bed.leaseHolder());
    const messages = (await leader.logLines()).map((line) => line.msg);
    expect(messages).toContain("lease released");
    expect(messages.at(-1)).toBe("operator stopped");

    await bed.waitForLeader("operator-b");
    await bed.publish("miner-1");
    const name = (await bed.incidentAbout("miner-1")).metadata.name ?? "";
    const finished = await bed.waitForIncident(name, (incident) => incident.status?.phase === "Succeeded", "to succeed");
    expect(finished.status?.playbooks?.[0]?.steps?.[0]).toMatchObject({ name: "collect", phase: "Succeeded", attempts: 1 });
    const takeover = (await standby.logLines()).find((line) => line.msg === "lease taken over");
    expect(takeover?.["previousHolder"]).toBe("");
    const metrics = await standby.metrics();
    expect(metrics.body).toContain(`leader_election_master_status{name="${TEST_LEASE}"} 1`);
  });
});
