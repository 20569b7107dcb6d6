import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import type { SideEffectRef } from "../../src/reconcilers/index.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers } from "../integration/reconciler-helpers.ts";

const WAIT = { timeoutMs: 90_000, intervalMs: 250 };

describe("intent before side effect (kwok)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  it("a controller killed between the intent write and the Job create is replaced by one that creates exactly one Job", async () => {
    const namespace = await createTestNamespace(kubeConfig, "e2e-crash");
    const intents: SideEffectRef[] = [];
    // Runs once the intent is durable and right before the create; kills the operator there.
    const killBeforeCreate = (effect: SideEffectRef): void => {
      intents.push(effect);
      controllers?.kill();
      throw new Error("killed between intent and side effect");
    };
    controllers = await startControllers(kubeConfig, namespace, { hooks: { beforeSideEffect: killBeforeCreate } });
    const objects = new SoarObjects(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", {
        trigger: { types: ["falco.rule.output.v1"] },
        steps: [
          { name: "contain", job: { image: "registry.invalid/contain:1" } },
          { name: "collect", job: { image: "registry.invalid/collect:1" } },
        ],
      });
      await waitFor(async () => conditionOf(await objects.playbook("pb"))?.status === "True", { ...WAIT, description: "Playbook pb to be Ready" });
      await objects.createIncident("inc", incidentSpec(["pb"]));
      await waitFor(() => intents.length > 0, { ...WAIT, description: "the operator to die before its first side effect" });
      await controllers?.stop();

      const [intent] = intents;
      const recorded = (await objects.incident("inc")).status?.playbooks?.[0]?.steps?.[0];
      expect(recorded).toMatchObject({ name: "contain", phase: "Running", intent: { attempt: 1, id: intent?.name } });
      expect(recorded?.job).toBeUndefined();
      expect(await objects.jobs()).toEqual([]);

      controllers = await startControllers(kubeConfig, namespace);
      const done: Incident = await waitFor(async () => {
        const incident = await objects.incident("inc");
        return incident.status?.phase === "Succeeded" ? incident : undefined;
      }, { ...WAIT, description: "the restarted operator to finish the Incident" });
      const names = (await objects.jobs()).map((job) => job.metadata?.name ?? "");
      expect(names.filter((name) => name === intent?.name)).toHaveLength(1);
      expect(names).toHaveLength(2);
      expect(new Set(names).size).toBe(2);
      expect(done.status?.playbooks?.[0]?.steps?.map((step) => [step.name, step.phase, step.attempts])).toEqual([
        ["contain", "Succeeded", 1],
        ["collect", "Succeeded", 1],
      ]);
    });
  });
});
