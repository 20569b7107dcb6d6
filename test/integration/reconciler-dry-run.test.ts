import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Incident, PlaybookSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers } from "./reconciler-helpers.ts";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

const spec = (dryRun: boolean): PlaybookSpec => ({
  trigger: { types: ["falco.rule.output.v1"] },
  dryRun,
  steps: [
    {
      name: "scan",
      timeout: "90s",
      job: {
        image: "registry.invalid/scanner:1",
        args: ["--pod", "${{ incident.resources.pod }}", "--rule=${{ event.data.rule }}"],
        env: [
          { name: "SEVERITY", value: "${{ incident.severity }}" },
          { name: "TOKEN", valueFrom: { secretKeyRef: { name: "scanner", key: "token" } } },
        ],
      },
    },
    { name: "gate", approval: { message: "isolate ${{ incident.resources.pod }}?" } },
    { name: "report", job: { image: "registry.invalid/report:1", args: ["${{ steps.scan.outputs.jobName }}"] } },
  ],
});

describe("dry run (real apiserver)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  it.each([
    { name: "the Playbook's dryRun", playbookDryRun: true, operatorDryRun: false },
    { name: "the operator-wide switch", playbookDryRun: false, operatorDryRun: true },
  ])("with $name every step is planned and rendered, and nothing is created", async ({ playbookDryRun, operatorDryRun }) => {
    const namespace = await createTestNamespace(kubeConfig, "rec-dry-run");
    controllers = await startControllers(kubeConfig, namespace, { dryRun: operatorDryRun });
    const objects = new SoarObjects(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("miner", spec(playbookDryRun));
      await waitFor(async () => conditionOf(await objects.playbook("miner"))?.status === "True", { ...WAIT, description: "Playbook miner to be Ready" });
      await objects.createIncident("inc", incidentSpec(["miner"]));
      const done: Incident = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return incident.status?.phase === "Succeeded" ? incident : undefined;
      }, { ...WAIT, description: "the dry run to finish" });

      const run = done.status?.playbooks?.[0];
      expect(run).toMatchObject({ name: "miner", phase: "Succeeded", dryRun: true, generation: 1 });
      const steps = Object.fromEntries((run?.steps ?? []).map((step) => [step.name, step]));
      expect(steps["scan"]?.phase).toBe("Succeeded");
      expect(steps["scan"]?.intent).toBeUndefined();
      expect(steps["scan"]?.job).toBeUndefined();
      const scanOutputs = steps["scan"]?.outputs ?? {};
      expect(scanOutputs).toMatchObject({
        dryRun: "true",
        image: "registry.invalid/scanner:1",
        args: JSON.stringify(["--pod", "web-0", "--rule=Terminal shell in container"]),
        env: JSON.stringify({ SEVERITY: "high", TOKEN: { secretKeyRef: { name: "scanner", key: "token" } } }),
        activeDeadlineSeconds: "90",
      });
      expect(steps["gate"]).toMatchObject({ phase: "Succeeded", outputs: { dryRun: "true", "approval.message": "isolate web-0?" } });
      expect(steps["report"]?.outputs?.["args"]).toBe(JSON.stringify([scanOutputs["jobName"]]));
      expect(done.status?.timeline?.filter((entry) => entry.reason === "DryRunRendered")).toHaveLength(3);
      expect(done.status?.respondedAt).toBeUndefined();
      expect(conditionOf(done)).toMatchObject({ status: "True", reason: "RunsSucceeded" });
      expect(await objects.jobs()).toEqual([]);
    });
  });
});
