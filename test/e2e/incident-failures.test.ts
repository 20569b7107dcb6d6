import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Incident, PlaybookSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers, stepOf } from "../integration/reconciler-helpers.ts";

const WAIT = { timeoutMs: 120_000, intervalMs: 250 };
const EXIT_CODE = "kwok.kube-soar.io/exit-code";
const TERMINATION_MESSAGE = "kwok.kube-soar.io/termination-message";
const trigger = { types: ["falco.rule.output.v1"] };


describe("failing and timed-out Job steps (kwok)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  async function run(spec: PlaybookSpec, phase: "Succeeded" | "Failed"): Promise<{ incident: Incident; objects: SoarObjects }> {
    const namespace = await createTestNamespace(kubeConfig, "e2e-failures");
    controllers = await startControllers(kubeConfig, namespace);
    const objects = new SoarObjects(kubeConfig, namespace);
    let incident: Incident | undefined;
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", spec);
      await waitFor(async () => conditionOf(await objects.playbook("pb"))?.status === "True", { ...WAIT, description: "Playbook pb to be Ready" });
      await objects.createIncident("inc", incidentSpec(["pb"]));
      incident = await waitFor(async () => {
        const current = await objects.incident("inc");
        return current.status?.phase === phase ? current : undefined;
      }, { ...WAIT, description: `the Incident to be ${phase}` });
    });
    if (incident === undefined) throw new Error("unreachable: the Incident was not read");
    return { incident, objects };
  }

  it("retries a failing Job with new Jobs, then goes on thanks to continueOnError", async () => {
    const { incident, objects } = await run(
      {
        trigger,
        steps: [
          {
            name: "flaky",
            retries: { limit: 2, backoff: "1s" },
            continueOnError: true,
            job: { image: "registry.invalid/flaky:1", podAnnotations: { [EXIT_CODE]: "1", [TERMINATION_MESSAGE]: "connection refused" } },
          },
          { name: "after", job: { image: "registry.invalid/after:1" } },
        ],
      },
      "Succeeded",
    );
    const flaky = stepOf(incident, "flaky");
    expect(flaky).toMatchObject({ phase: "Failed", attempts: 3 });
    expect(flaky?.message).toContain("attempt 3 failed: Job");
    expect(flaky?.message).toContain("exit code 1: connection refused");
    expect(flaky?.message).toContain("(continueOnError: the run goes on)");
    expect(stepOf(incident, "after")?.phase).toBe("Succeeded");
    expect(incident.status?.playbooks?.[0]?.phase).toBe("Succeeded");
    const names = (await objects.jobs()).map((job) => job.metadata?.name ?? "");
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(4);
    for (const attempt of [1, 2, 3]) expect(names.filter((name) => name.includes(`-flaky-${attempt}-`))).toHaveLength(1);
    expect(incident.status?.timeline?.filter((entry) => entry.reason === "StepRetrying")).toHaveLength(2);
  });

  it("fails the run when a failing step has no continueOnError, skipping the rest", async () => {
    const { incident, objects } = await run(
      {
        trigger,
        steps: [
          { name: "broken", job: { image: "registry.invalid/broken:1", podAnnotations: { [EXIT_CODE]: "2" } } },
          { name: "after", job: { image: "registry.invalid/after:1" } },
        ],
      },
      "Failed",
    );
    expect(stepOf(incident, "broken")).toMatchObject({ phase: "Failed", attempts: 1 });
    expect(stepOf(incident, "after")).toMatchObject({ phase: "Skipped", message: "not run: step broken failed" });
    expect(conditionOf(incident)).toMatchObject({ status: "False", reason: "RunFailed" });
    expect(await objects.jobs()).toHaveLength(1);
  });

  it("times out a step whose Job cannot finish within its timeout", async () => {
    // No node can hold the request, so the pod stays Pending and the Job's deadline fires.
    const { incident, objects } = await run(
      {
        trigger,
        steps: [{ name: "stuck", timeout: "3s", job: { image: "registry.invalid/stuck:1", resources: { requests: { cpu: "100000" } } } }],
      },
      "Failed",
    );
    const stuck = stepOf(incident, "stuck");
    expect(stuck).toMatchObject({ phase: "TimedOut", attempts: 1 });
    expect(stuck?.message).toContain("attempt 1 timed out: Job");
    expect(stuck?.message).toContain("(DeadlineExceeded)");
    const [job] = await objects.jobs();
    expect(job?.spec?.activeDeadlineSeconds).toBe(3);
    expect(incident.status?.timeline?.map((entry) => entry.reason)).toContain("StepTimedOut");
  });
});
