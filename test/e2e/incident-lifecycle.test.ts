import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers, stepOf } from "../integration/reconciler-helpers.ts";

const WAIT = { timeoutMs: 90_000, intervalMs: 250 };
const TERMINATION_MESSAGE = "kwok.kube-soar.io/termination-message";


describe("an Incident's full lifecycle with Jobs run by the cluster (kwok)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  it("runs the steps as a graph, passes outputs from a termination message to a later step, and succeeds", async () => {
    const namespace = await createTestNamespace(kubeConfig, "e2e-lifecycle");
    controllers = await startControllers(kubeConfig, namespace);
    const objects = new SoarObjects(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("miner", {
        trigger: { types: ["falco.rule.output.v1"] },
        steps: [
          {
            name: "scan",
            timeout: "2m",
            job: {
              image: "registry.invalid/scanner:1",
              args: ["--pod", "${{ incident.resources.pod }}"],
              podAnnotations: { [TERMINATION_MESSAGE]: '{"verdict":"malicious","sha256":"9f86d081","score":97}' },
            },
          },
          { name: "snapshot", job: { image: "registry.invalid/snapshot:1", podAnnotations: { [TERMINATION_MESSAGE]: "snapshot stored" } } },
          {
            name: "report",
            needs: ["scan", "snapshot"],
            when: "steps.scan.outputs.verdict == 'malicious'",
            job: {
              image: "registry.invalid/report:1",
              env: [
                { name: "VERDICT", value: "${{ steps.scan.outputs.verdict }}" },
                { name: "DIGEST", value: "sha256:${{ steps.scan.outputs.sha256 }}" },
                { name: "NOTE", value: "${{ steps.snapshot.outputs.message }}" },
              ],
            },
          },
          { name: "skipped", needs: ["scan"], when: "steps.scan.outputs.verdict == 'clean'", job: { image: "registry.invalid/never:1" } },
        ],
      });
      await waitFor(async () => conditionOf(await objects.playbook("miner"))?.status === "True", { ...WAIT, description: "Playbook miner to be Ready" });
      await objects.createIncident("inc", incidentSpec(["miner"]));

      const done = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return incident.status?.phase === "Succeeded" ? incident : undefined;
      }, { ...WAIT, description: "the Incident to succeed" });

      expect(stepOf(done, "scan")).toMatchObject({ phase: "Succeeded", attempts: 1, outputs: { verdict: "malicious", sha256: "9f86d081", score: "97" } });
      expect(stepOf(done, "snapshot")).toMatchObject({ phase: "Succeeded", outputs: { message: "snapshot stored" } });
      expect(stepOf(done, "report")?.phase).toBe("Succeeded");
      expect(stepOf(done, "skipped")).toMatchObject({ phase: "Skipped", message: "when evaluated to false" });
      expect(conditionOf(done)).toMatchObject({ status: "True", reason: "RunsSucceeded" });
      expect(conditionOf(done, "Reconciling")?.status).toBe("False");
      expect(done.status?.respondedAt).toBeDefined();
      expect(done.status?.playbooks?.[0]).toMatchObject({ phase: "Succeeded", generation: 1 });

      const jobs = await objects.jobs();
      expect(jobs).toHaveLength(3);
      const report = jobs.find((job) => job.metadata?.name === stepOf(done, "report")?.job);
      expect(report?.spec?.template.spec?.containers[0]?.env).toEqual([
        { name: "VERDICT", value: "malicious" },
        { name: "DIGEST", value: "sha256:9f86d081" },
        { name: "NOTE", value: "snapshot stored" },
      ]);
      const reasons = done.status?.timeline?.map((entry) => entry.reason) ?? [];
      expect(reasons).toEqual(expect.arrayContaining(["RunStarted", "StepStarted", "StepSucceeded", "StepSkipped", "RunsSucceeded"]));
      expect(await objects.events("inc")).toEqual(expect.arrayContaining([expect.stringMatching(/^StepSucceeded: miner\/scan: Job .* succeeded$/)]));

      const metrics = await controllers?.registry.metrics();
      expect(metrics).toContain('soar_playbook_runs_total{result="succeeded"} 1');
      expect(metrics).toMatch(/soar_step_duration_seconds_count\{kind="job",result="succeeded"\} 3/);
      expect(metrics).toContain("soar_alert_to_first_action_seconds_count 1");
      // Active means a run in progress: the Incident's only run finished, so it is no longer counted.
      expect(metrics).toContain('soar_active_incidents{phase="Succeeded"} 0');
      expect(metrics).toContain('soar_active_incidents{phase="Running"} 0');
    });
  });
});
