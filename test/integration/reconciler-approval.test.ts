import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalStep, Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers, stepOf } from "./reconciler-helpers.ts";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };


describe("approval steps (real apiserver)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  /** A namespace with the controllers and a Ready Playbook: an approval gate, then a Job. */
  async function setUp(approval: ApprovalStep): Promise<SoarObjects> {
    const namespace = await createTestNamespace(kubeConfig, "rec-approval");
    controllers = await startControllers(kubeConfig, namespace);
    const objects = new SoarObjects(kubeConfig, namespace);
    await objects.createPlaybook("gated", {
      trigger: { types: ["falco.rule.output.v1"] },
      steps: [
        { name: "gate", approval },
        { name: "delete", job: { image: "registry.invalid/kubectl:1", args: ["delete", "pod", "${{ incident.resources.pod }}"] } },
      ],
    });
    await waitFor(async () => conditionOf(await objects.playbook("gated"))?.status === "True", { ...WAIT, description: "Playbook gated to be Ready" });
    return objects;
  }

  async function incidentWhere(objects: SoarObjects, description: string, check: (incident: Incident) => boolean): Promise<Incident> {
    return await waitFor(async () => {
      const incident = await objects.incident("inc");
      return check(incident) ? incident : undefined;
    }, { ...WAIT, description });
  }

  it("waits without blocking, then runs the next step once approved", async () => {
    const objects = await setUp({ message: "delete pod ${{ incident.resources.pod }}?" });
    await explainFailure(objects, controllers, async () => {
      await objects.createIncident("inc", incidentSpec(["gated"]));
      const waiting = await incidentWhere(objects, "the Incident to await approval", (incident) => incident.status?.phase === "AwaitingApproval");
      expect(conditionOf(waiting, "AwaitingApproval")).toMatchObject({ status: "True", reason: "ApprovalPending", message: "gated/gate: waiting for approval: delete pod web-0?" });
      expect(stepOf(waiting, "gate", "gated")?.phase).toBe("Waiting");
      expect(await objects.jobs()).toEqual([]);

      await objects.updateIncidentSpec("inc", (spec) => ({
        ...spec,
        approvals: [{ playbook: "gated", step: "gate", decision: "approve", by: "alice", at: "2026-11-28T10:00:00Z", reason: "confirmed miner" }],
      }));
      const approved = await incidentWhere(objects, "the delete step to have its Job", (incident) => stepOf(incident, "delete", "gated")?.job !== undefined);
      expect(stepOf(approved, "gate", "gated")).toMatchObject({
        phase: "Succeeded",
        message: "approved by alice: confirmed miner",
        decision: { decision: "approve", by: "alice", at: "2026-11-28T10:00:00Z" },
      });
      expect(approved.status?.timeline?.map((entry) => entry.reason)).toEqual(expect.arrayContaining(["ApprovalPending", "Approved", "StepStarted"]));
      expect(conditionOf(approved, "AwaitingApproval")?.status).toBe("False");
      const jobs = await objects.jobs();
      expect(jobs.map((job) => job.metadata?.name)).toEqual([stepOf(approved, "delete", "gated")?.job]);
      expect(jobs[0]?.spec?.template.spec?.containers[0]?.args).toEqual(["delete", "pod", "web-0"]);
      expect(approved.status?.respondedAt).toBeDefined();
      await waitFor(async () => (await objects.events("inc")).some((event) => event === "Approved: gated/gate: approved by alice: confirmed miner"), {
        ...WAIT,
        description: "an Approved Event on the Incident",
      });
    });
  });

  it("fails the step and skips the rest when rejected", async () => {
    const objects = await setUp({ message: "delete?" });
    await explainFailure(objects, controllers, async () => {
      await objects.createIncident("inc", incidentSpec(["gated"], {
        approvals: [{ playbook: "gated", step: "gate", decision: "reject", by: "bob", reason: "false positive" }],
      }));
      const rejected = await incidentWhere(objects, "the Incident to fail", (incident) => incident.status?.phase === "Failed");
      expect(stepOf(rejected, "gate", "gated")).toMatchObject({ phase: "Failed", message: "rejected by bob: false positive", decision: { decision: "reject", by: "bob" } });
      expect(stepOf(rejected, "delete", "gated")).toMatchObject({ phase: "Skipped", message: "not run: step gate failed" });
      expect(conditionOf(rejected)).toMatchObject({ status: "False", reason: "RunFailed" });
      expect(rejected.status?.timeline?.map((entry) => entry.reason)).toEqual(expect.arrayContaining(["Rejected", "StepSkipped", "RunFailed"]));
      expect(await objects.jobs()).toEqual([]);
    });
  });

  it.each([
    { name: "rejects by default", approval: { timeout: "2s" }, phase: "Failed", decision: "reject" },
    { name: "approves when onTimeout says so", approval: { timeout: "2s", onTimeout: "approve" as const }, phase: "Succeeded", decision: "approve" },
  ])("on timeout $name", async ({ approval, phase, decision }) => {
    const objects = await setUp(approval);
    await explainFailure(objects, controllers, async () => {
      await objects.createIncident("inc", incidentSpec(["gated"]));
      const decided = await incidentWhere(objects, "the approval to time out", (incident) => stepOf(incident, "gate", "gated")?.decision !== undefined);
      const gate = stepOf(decided, "gate", "gated");
      expect(gate).toMatchObject({ phase, decision: { decision, timedOut: true } });
      expect(gate?.decision?.by).toBeUndefined();
      expect(decided.status?.timeline?.map((entry) => entry.reason)).toContain("ApprovalTimedOut");
      if (decision === "approve") {
        await incidentWhere(objects, "the delete step to have its Job", (incident) => stepOf(incident, "delete", "gated")?.job !== undefined);
        expect(await objects.jobs()).toHaveLength(1);
      } else {
        expect(stepOf(decided, "delete", "gated")?.phase).toBe("Skipped");
        expect(await objects.jobs()).toEqual([]);
      }
    });
  });
});
