import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import type { Incident, StepState } from "../../src/api/v1alpha1/types.generated.ts";
import { FAST_FAILOVER_FLAGS, JobLedger, OperatorTestbed, TEST_LEASE } from "../support/operator-process.ts";
import { waitFor } from "../support/kube.ts";

const PLAYBOOK = "contain-after-approval";
const TERMINATION_MESSAGE = "kwok.kube-soar.io/termination-message";

function stepOf(incident: Incident, name: string): StepState | undefined {
  return incident.status?.playbooks?.find((run) => run.name === PLAYBOOK)?.steps?.find((step) => step.name === name);
}

describe("leader failover between two operator processes", () => {
  let bed: OperatorTestbed;
  let ledger: JobLedger;

  beforeAll(async () => {
    bed = await OperatorTestbed.start({ prefix: "failover", flags: FAST_FAILOVER_FLAGS });
    ledger = await JobLedger.start(bed.kubeConfig, bed.namespace);
  });

  afterAll(async () => {
    await ledger.stop();
    await bed.close();
  });

  it("lets the standby finish an incident whose leader was SIGKILLed mid-run, with one Job per step attempt", async () => {
    onTestFailed(async () => { console.log(await bed.diagnostics()); });
    const leader = await bed.start("operator-a");
    await bed.waitForLeader("operator-a");
    await bed.createPlaybook(PLAYBOOK, {
      trigger: bed.trigger(),
      steps: [
        {
          name: "collect",
          job: {
            image: "registry.example.com/soar/collector:1.0.0",
            args: ["--pod=${{ incident.resources.pod }}"],
            podAnnotations: { [TERMINATION_MESSAGE]: JSON.stringify({ verdict: "malicious" }) },
          },
        },
        { name: "approve", needs: ["collect"], approval: { message: "Contain ${{ incident.resources.pod }}?" } },
        {
          name: "contain",
          needs: ["approve"],
          job: { image: "registry.example.com/soar/containment:1.0.0", env: [{ name: "VERDICT", value: "${{ steps.collect.outputs.verdict }}" }] },
        },
      ],
    });
    const standby = await bed.start("operator-b");
    await standby.waitUntilReady();

    await bed.publish("miner-0");
    // The leader dies the moment it has created the first Job: the step is mid-flight.
    await waitFor(() => ledger.sightings().some((sighting) => sighting.step === "collect"), {
      timeoutMs: 60_000,
      intervalMs: 20,
      description: "the leader to create the Job of step collect",
    });
    expect(await leader.kill()).toEqual({ code: null, signal: "SIGKILL" });

    const name = (await bed.incidentAbout("miner-0")).metadata.name ?? "";
    await bed.waitForLeader("operator-b");
    await bed.waitForIncident(name, (incident) => incident.status?.phase === "AwaitingApproval", "to await approval");
    await bed.decide(name, { playbook: PLAYBOOK, step: "approve", decision: "approve", by: "e2e-approver", at: new Date().toISOString(), reason: "confirmed miner" });
    const finished = await bed.waitForIncident(name, (incident) => incident.status?.phase === "Succeeded", "to succeed");

    expect(stepOf(finished, "collect")).toMatchObject({ phase: "Succeeded", attempts: 1, outputs: { verdict: "malicious" } });
    expect(stepOf(finished, "approve")).toMatchObject({ phase: "Succeeded", decision: { decision: "approve", by: "e2e-approver" } });
    expect(stepOf(finished, "contain")).toMatchObject({ phase: "Succeeded", attempts: 1 });
    const sightings = ledger.sightings();
    expect(sightings.map((sighting) => [sighting.incident, sighting.step, sighting.attempt]).sort()).toEqual([
      [name, "collect", "1"],
      [name, "contain", "1"],
    ]);
    expect(ledger.reusedNames()).toEqual(new Map());
    const contain = sightings.find((sighting) => sighting.step === "contain");
    expect(contain?.job.spec?.template.spec?.containers[0]?.env).toEqual([{ name: "VERDICT", value: "malicious" }]);
    const metrics = await standby.metrics();
    expect(metrics.body).toContain(`leader_election_master_status{name="${TEST_LEASE}"} 1`);
    expect(standby.exitStatus).toBeUndefined();
  });
});
