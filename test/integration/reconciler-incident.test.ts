import { readFileSync } from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Incident, PlaybookSpec, StepState } from "../../src/api/v1alpha1/types.generated.ts";
import type { SideEffectRef } from "../../src/reconcilers/index.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllerOptions, type TestControllers } from "./reconciler-helpers.ts";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const hostile = JSON.parse(readFileSync(new URL("../../../shared/fixtures/falco/hostile-fields.json", import.meta.url), "utf8")) as {
  output_fields: Record<string, string>;
};

const responder: PlaybookSpec = {
  trigger: { types: ["falco.rule.output.v1"] },
  steps: [
    {
      name: "forensics",
      timeout: "5m",
      job: {
        image: "registry.invalid/forensics:1",
        command: ["/usr/bin/collect"],
        args: ["--cmdline", "${{ event.data.output_fields['proc.cmdline'] }}", "--user=${{ event.data.output_fields['user.name'] }}"],
        env: [
          { name: "POD", value: "${{ event.data.output_fields['k8s.pod.name'] }}" },
          { name: "CONTAINER", value: "${{ event.data.output_fields['container.name'] }}" },
        ],
        ttlSecondsAfterFinished: 3600,
      },
    },
  ],
};

/** An Incident whose event carries the hostile fixture, which the responder's templates read. */
const hostileIncident = (playbooks: string[]) =>
  incidentSpec(playbooks, { event: { id: "h1", source: "https://falco.org", type: "falco.rule.output.v1", data: hostile } });

function stepOf(incident: Incident, run: string, step: string): StepState | undefined {
  return incident.status?.playbooks?.find((candidate) => candidate.name === run)?.steps?.find((state) => state.name === step);
}

describe("Incident reconciler (real apiserver)", () => {
  const kubeConfig = loadKubeConfig();
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
  });

  async function setUp(prefix: string, options: TestControllerOptions = {}): Promise<SoarObjects> {
    const namespace = await createTestNamespace(kubeConfig, prefix);
    controllers = await startControllers(kubeConfig, namespace, options);
    return new SoarObjects(kubeConfig, namespace);
  }

  async function readyPlaybook(objects: SoarObjects, name: string, spec: PlaybookSpec): Promise<void> {
    await objects.createPlaybook(name, spec);
    await waitFor(async () => conditionOf(await objects.playbook(name))?.status === "True", { ...WAIT, description: `Playbook ${name} to be Ready` });
  }

  async function incidentWhere(objects: SoarObjects, description: string, check: (incident: Incident) => boolean): Promise<Incident> {
    return await waitFor(async () => {
      const incident = await objects.incident("inc");
      return check(incident) ? incident : undefined;
    }, { ...WAIT, description });
  }

  it("creates the step's Job with hostile event fields as exact, inert argv items and env values", async () => {
    const objects = await setUp("rec-incident");
    await explainFailure(objects, controllers, async () => {
      await readyPlaybook(objects, "responder", responder);
      await objects.createIncident("inc", hostileIncident(["responder"]));
      const running = await incidentWhere(objects, "the forensics Job to be recorded", (incident) => stepOf(incident, "responder", "forensics")?.job !== undefined);
      const step = stepOf(running, "responder", "forensics");
      expect(step).toMatchObject({ phase: "Running", attempts: 1, intent: { attempt: 1, id: step?.job } });
      expect(running.status?.phase).toBe("Running");
      expect(running.status?.respondedAt).toBeDefined();
      expect(conditionOf(running, "Reconciling")).toMatchObject({ status: "True", reason: "Progressing" });

      const jobs = await objects.jobs();
      expect(jobs).toHaveLength(1);
      const [job] = jobs;
      const fields = hostile.output_fields;
      const container = job?.spec?.template.spec?.containers[0];
      expect(container?.command).toEqual(["/usr/bin/collect"]);
      expect(container?.args).toEqual(["--cmdline", fields["proc.cmdline"], "--user=${{ event.data }}"]);
      expect(container?.env).toEqual([
        { name: "POD", value: "web-0; kubectl delete ns kube-system" },
        { name: "CONTAINER", value: "{{ .Values.secret }}\n\u0000\u202e" },
      ]);
      expect(job?.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ kind: "Incident", name: "inc", uid: running.metadata.uid, controller: true, blockOwnerDeletion: true }),
      ]);
      expect(job?.metadata?.labels).toMatchObject({ "soar.kube-soar.io/incident": "inc", "soar.kube-soar.io/playbook": "responder", "soar.kube-soar.io/step": "forensics" });
      expect(job?.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 3600 });
      expect(container?.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      await waitFor(async () => (await objects.events("inc")).some((event) => event.startsWith("StepStarted: responder/forensics: attempt 1: Job")), {
        ...WAIT,
        description: "a StepStarted Event",
      });
    });
  });

  it("waits, stalled, on an invalid Playbook and runs once it is fixed", async () => {
    const objects = await setUp("rec-incident");
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("responder", { ...responder, steps: [{ name: "forensics", when: "evnt.x", job: { image: "x" } }] });
      await objects.createIncident("inc", hostileIncident(["responder"]));
      const stalled = await incidentWhere(objects, "the Incident to be stalled", (incident) => conditionOf(incident, "Stalled")?.status === "True");
      expect(conditionOf(stalled, "Stalled")?.reason).toBe("PlaybookNotReady");
      expect(stalled.status?.phase).toBe("Pending");
      expect(await objects.jobs()).toEqual([]);

      await objects.updatePlaybook("responder", responder);
      const running = await incidentWhere(objects, "the run to start", (incident) => stepOf(incident, "responder", "forensics")?.job !== undefined);
      expect(running.status?.playbooks?.[0]?.generation).toBe(2);
      expect(conditionOf(running, "Stalled")?.status).toBe("False");
    });
  });

  it("stops a run whose Playbook changed while it was in progress", async () => {
    const objects = await setUp("rec-incident");
    await explainFailure(objects, controllers, async () => {
      await readyPlaybook(objects, "gated", { trigger: responder.trigger, steps: [{ name: "gate", approval: {} }, { name: "act", job: { image: "x" } }] });
      await objects.createIncident("inc", incidentSpec(["gated"]));
      await incidentWhere(objects, "the approval to wait", (incident) => incident.status?.phase === "AwaitingApproval");
      await objects.updatePlaybook("gated", { trigger: responder.trigger, steps: [{ name: "gate", approval: { timeout: "1h" } }, { name: "act", job: { image: "y" } }] });
      const failed = await incidentWhere(objects, "the run to fail", (incident) => incident.status?.phase === "Failed");
      expect(failed.status?.playbooks?.[0]).toMatchObject({ phase: "Failed", message: "Playbook gated changed from generation 1 to 2 during the run" });
      expect(stepOf(failed, "gated", "gate")?.phase).toBe("Skipped");
      expect(failed.status?.timeline?.map((entry) => entry.reason)).toContain("PlaybookChanged");
      expect(await objects.jobs()).toEqual([]);
    });
  });

  it.each([
    { name: "before the Job is created", hook: "beforeSideEffect" as const, verb: "created" },
    { name: "after the Job is created, before it is recorded", hook: "afterSideEffect" as const, verb: "adopted" },
  ])("after a crash $name, the restarted controller creates exactly one Job", async ({ hook, verb }) => {
    const seen: SideEffectRef[] = [];
    // The hook kills the controllers where it runs, so no retry can finish the work.
    const crash = (effect: SideEffectRef): void => {
      seen.push(effect);
      controllers?.kill();
      throw new Error("simulated crash");
    };
    const objects = await setUp("rec-crash", { hooks: { [hook]: crash } });
    await explainFailure(objects, controllers, async () => {
      await readyPlaybook(objects, "responder", responder);
      await objects.createIncident("inc", hostileIncident(["responder"]));
      await waitFor(() => seen.length > 0, { ...WAIT, description: `the ${hook} hook to run` });
      await controllers?.stop();
      controllers = undefined;

      const intent = stepOf(await objects.incident("inc"), "responder", "forensics");
      expect(intent?.intent?.id).toBe(seen[0]?.name);
      expect(intent?.job).toBeUndefined();
      expect((await objects.jobs()).length).toBe(hook === "beforeSideEffect" ? 0 : 1);

      controllers = await startControllers(kubeConfig, objects.namespace);
      const recorded = await incidentWhere(objects, "the Job to be recorded", (incident) => stepOf(incident, "responder", "forensics")?.job !== undefined);
      const step = stepOf(recorded, "responder", "forensics");
      expect(step?.job).toBe(seen[0]?.name);
      expect(step?.message).toBe(`attempt 1: Job ${seen[0]?.name ?? ""} ${verb}`);
      expect((await objects.jobs()).map((job) => job.metadata?.name)).toEqual([seen[0]?.name]);
    });
  });

  it("starts nothing while paused and finalizes a resolved Incident", async () => {
    const objects = await setUp("rec-incident", { paused: true });
    await explainFailure(objects, controllers, async () => {
      await readyPlaybook(objects, "responder", responder);
      await objects.createIncident("inc", hostileIncident(["responder"]));
      const paused = await incidentWhere(objects, "the paused run to be recorded", (incident) => conditionOf(incident)?.reason === "Paused");
      expect(stepOf(paused, "responder", "forensics")?.phase).toBe("Pending");
      expect(await objects.jobs()).toEqual([]);

      await objects.updateIncidentSpec("inc", (spec) => ({ ...spec, state: "Resolved" }));
      const resolved = await incidentWhere(objects, "the Incident to be Resolved", (incident) => incident.status?.phase === "Resolved");
      expect(resolved.status?.resolvedAt).toBeDefined();
      expect(conditionOf(resolved)).toMatchObject({ status: "True", reason: "Resolved" });
      expect(await objects.jobs()).toEqual([]);
    });
  });
});
