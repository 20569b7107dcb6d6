import { CoreV1Api, V1ObjectMeta, V1ServiceAccount } from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Playbook, PlaybookStep } from "../../src/api/v1alpha1/types.generated.ts";
import type { StepKind } from "../../src/playbook/index.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers } from "./reconciler-helpers.ts";

const WAIT = { timeoutMs: 20_000, intervalMs: 100 };
const trigger = { types: ["falco.rule.output.v1"] };
const job = (name: string, extra: Partial<PlaybookStep> = {}): PlaybookStep => ({ name, job: { image: "registry.invalid/responder:1" }, ...extra });

describe("Playbook reconciler (real apiserver)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  async function setUp(stepKinds?: ReadonlySet<StepKind>): Promise<SoarObjects> {
    const namespace = await createTestNamespace(kubeConfig, "rec-playbook");
    controllers = await startControllers(kubeConfig, namespace, { playbookOnly: true, ...(stepKinds === undefined ? {} : { stepKinds }) });
    return new SoarObjects(kubeConfig, namespace);
  }

  async function readyOf(objects: SoarObjects, name: string, generation: number) {
    return await waitFor(
      async () => {
        const playbook: Playbook = await objects.playbook(name);
        const ready = conditionOf(playbook);
        return playbook.status?.observedGeneration === generation && ready?.observedGeneration === generation ? { playbook, ready } : undefined;
      },
      { ...WAIT, description: `Playbook ${name} generation ${generation} to be processed` },
    );
  }

  it.each([
    {
      name: "an undeclared variable in a step's when",
      broken: { trigger, steps: [job("a"), job("b"), job("c", { when: "evnt.type == 'x'" })] },
      fixed: { trigger, steps: [job("a"), job("b"), job("c", { when: "event.type == 'x'" })] },
      reason: "InvalidExpression",
      message: "spec.steps[2].when: undeclared reference to 'evnt'",
    },
    {
      name: "a dependency cycle",
      broken: { trigger, steps: [job("a", { needs: ["b"] }), job("b", { needs: ["a"] })] },
      fixed: { trigger, steps: [job("a"), job("b", { needs: ["a"] })] },
      reason: "InvalidStepGraph",
      message: "spec.steps[1].needs: dependency cycle: a -> b -> a",
    },
    {
      name: "a template that does not compile",
      broken: { trigger, steps: [job("a", { job: { image: "x", args: ["${{ event.data. }}"] } })] },
      fixed: { trigger, steps: [job("a", { job: { image: "x", args: ["${{ event.data.rule }}"] } })] },
      reason: "InvalidExpression",
      message: "spec.steps[0].job.args[0]: template segment 0",
    },
  ])("reports $name on its field, then turns Ready when fixed", async ({ broken, fixed, reason, message }) => {
    const objects = await setUp();
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", broken);
      const first = await readyOf(objects, "pb", 1);
      expect(first.ready).toMatchObject({ status: "False", reason });
      expect(first.ready.message.startsWith(message)).toBe(true);
      expect(conditionOf(first.playbook, "Stalled")).toMatchObject({ status: "True", reason });
      expect(first.playbook.status?.stepCount).toBe(broken.steps.length);
      await waitFor(async () => (await objects.events("pb")).some((event) => event.startsWith(`${reason}: ${message}`)), {
        ...WAIT,
        description: "a Warning Event with the reason and the field",
      });

      await objects.updatePlaybook("pb", fixed);
      const second = await readyOf(objects, "pb", 2);
      expect(second.ready).toMatchObject({ status: "True", reason: "Succeeded" });
      expect(conditionOf(second.playbook, "Stalled")).toMatchObject({ status: "False" });
    });
  });

  it("reports a missing Connector and turns Ready when it is created", async () => {
    const objects = await setUp(new Set<StepKind>(["job", "approval", "notify"]));
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", { trigger, steps: [{ name: "tell", notify: { connector: "slack", message: "alert" } }] });
      const missing = await readyOf(objects, "pb", 1);
      expect(missing.ready).toMatchObject({
        status: "False",
        reason: "ConnectorNotFound",
        message: `spec.steps[0].notify.connector: Connector "slack" not found in namespace ${objects.namespace}`,
      });
      expect(conditionOf(missing.playbook, "Stalled")?.status).toBe("False");

      await objects.createConnector("slack");
      await waitFor(async () => conditionOf(await objects.playbook("pb"))?.status === "True", { ...WAIT, description: "Ready=True after the Connector exists" });
      expect(await objects.events("pb")).toContain(`ConnectorNotFound: spec.steps[0].notify.connector: Connector "slack" not found in namespace ${objects.namespace}`);
    });
  });

  it("stays Ready and warns about a template run as shell code, until it is quoted", async () => {
    const objects = await setUp();
    const script = (value: string): PlaybookStep => ({ name: "report", job: { image: "busybox:1", command: ["/bin/sh", "-ec"], args: [`echo ${value} >> /tmp/report`] } });
    const warning = "spec.steps[1].job.args[0]: ${{ incident.title }} inside a shell script is run as shell code; use ${{ shellQuote(incident.title) }} or pass the value as an argument or environment variable";
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", { trigger, steps: [job("a"), script("${{ incident.title }}")] });
      const first = await readyOf(objects, "pb", 1);
      expect(first.ready).toMatchObject({ status: "True", reason: "Succeeded" });
      expect(first.playbook.status?.warnings).toEqual([warning]);
      await waitFor(async () => (await objects.events("pb")).includes(`TemplateInShellScript: ${warning}`), { ...WAIT, description: "a Warning Event naming the field" });

      await objects.updatePlaybook("pb", { trigger, steps: [job("a"), script("${{ shellQuote(incident.title) }}")] });
      const second = await readyOf(objects, "pb", 2);
      expect(second.ready).toMatchObject({ status: "True", reason: "Succeeded" });
      expect(second.playbook.status?.warnings).toBeUndefined();
    });
  });

  it("reports a missing ServiceAccount and turns Ready when it is created", async () => {
    const objects = await setUp();
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", { trigger, serviceAccountName: "responder", steps: [job("a")] });
      const missing = await readyOf(objects, "pb", 1);
      expect(missing.ready).toMatchObject({
        status: "False",
        reason: "ServiceAccountNotFound",
        message: `spec.serviceAccountName: ServiceAccount "responder" not found in namespace ${objects.namespace}`,
      });
      const account = new V1ServiceAccount();
      account.metadata = new V1ObjectMeta();
      account.metadata.name = "responder";
      await kubeConfig.makeApiClient(CoreV1Api).createNamespacedServiceAccount({ namespace: objects.namespace, body: account });
      await waitFor(async () => conditionOf(await objects.playbook("pb"))?.status === "True", { ...WAIT, description: "Ready=True after the ServiceAccount exists" });
    });
  });

  it("reports step kinds the operator is configured not to execute", async () => {
    const objects = await setUp(new Set<StepKind>(["job", "approval"]));
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", { trigger, steps: [job("a"), { name: "isolate", action: { type: "isolatePod" } }] });
      const result = await readyOf(objects, "pb", 1);
      expect(result.ready).toMatchObject({ status: "False", reason: "StepKindUnavailable" });
      expect(result.ready.message.startsWith('spec.steps[1].action: step kind "action" is not available')).toBe(true);
    });
  });

  it("counts the Incidents with an unfinished run of it and when one last occurred", async () => {
    const objects = await setUp();
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("pb", { trigger, steps: [job("a")] });
      await readyOf(objects, "pb", 1);
      await objects.createIncident("running", incidentSpec(["pb"], { fingerprint: "fp-running" }), {
        occurrences: 2,
        lastSeen: "2026-03-01T10:00:00Z",
        playbooks: [{ name: "pb", phase: "Running" }],
      });
      await objects.createIncident("done", incidentSpec(["pb"], { fingerprint: "fp-done" }), {
        occurrences: 1,
        lastSeen: "2026-03-01T11:00:00Z",
        playbooks: [{ name: "pb", phase: "Succeeded" }],
      });
      await objects.createIncident("elsewhere", incidentSpec(["other"], { fingerprint: "fp-other" }), {
        occurrences: 1,
        lastSeen: "2026-03-01T12:00:00Z",
        playbooks: [{ name: "other", phase: "Running" }],
      });
      const playbook = await waitFor(
        async () => {
          const found = await objects.playbook("pb");
          return found.status?.activeIncidents === 1 && found.status.lastTriggeredAt !== undefined ? found : undefined;
        },
        { ...WAIT, description: "activeIncidents and lastTriggeredAt" },
      );
      expect(new Date(playbook.status?.lastTriggeredAt ?? "").toISOString()).toBe("2026-03-01T11:00:00.000Z");
      expect(conditionOf(playbook)?.status).toBe("True");
    });
  });
});
