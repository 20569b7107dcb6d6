// kubectl soar test reproduces what the operator does: the same alert, fed to the real intake and
// controllers, gives the Incident and the rendered steps the offline test reported.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CoreV1Api, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stringify } from "yaml";
import type { Incident, PlaybookSpec } from "../../src/api/v1alpha1/types.generated.ts";
import type { CliIO } from "../../src/cli/command.ts";
import { testCommand } from "../../src/cli/test/test-command.ts";
import type { AlertReport, TestReport } from "../../src/cli/test/test-report.ts";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { listIncidents, post, RECEIVER_AUTH, startTestIntake, testOptions, type TestIntake } from "./intake-helpers.ts";
import { conditionOf, explainFailure, SoarObjects, startControllers, stepOf, type TestControllers } from "./reconciler-helpers.ts";

/** The operator namespace of `startControllers`: a Playbook of the test namespace is a tenant's. */
const OPERATOR_NAMESPACE = "kube-soar-system";
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const POD = "report-gen-7f9c-kq2lz";

const playbookSpec: PlaybookSpec = {
  trigger: { types: ["falco.rule.output.v1"], minSeverity: "high", when: 'event.data.rule == "Detect outbound connections to common miner pool ports"' },
  dedup: { key: 'event.data.output_fields["k8s.ns.name"] + "/" + event.data.output_fields["k8s.pod.name"]', window: "2h" },
  steps: [
    { name: "mark", action: { type: "label", params: { "security.example.com/process": "${{ event.data.output_fields['proc.name'] }}" } }, safeToRetry: true },
    {
      name: "collect",
      timeout: "5m",
      job: {
        image: "registry.invalid/soar/collector:1.0.0",
        command: ["/collect"],
        args: ["--pod=${{ incident.resources.pod }}", "--rule=${{ event.data.rule }}", "--ip=${{ event.data.output_fields['fd.rip'] }}", "--incident=${{ incident.name }}"],
        env: [
          { name: "SEVERITY", value: "${{ incident.severity }}" },
          { name: "TOKEN", valueFrom: { secretKeyRef: { name: "collector", key: "token" } } },
        ],
      },
    },
  ],
};

describe("kubectl soar test and the operator on the same alert", () => {
  let kubeConfig: KubeConfig;
  let namespace = "";
  let scratch = "";
  let nats: RunningNats | undefined;
  let intake: TestIntake | undefined;
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    kubeConfig = loadKubeConfig();
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "cli-parity");
    scratch = await mkdtemp(path.join(tmpdir(), "cli-parity-"));
    await KubernetesObjectApi.makeApiClient(kubeConfig).create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: POD, namespace, labels: { app: "report-gen" } },
      spec: { containers: [{ name: "worker", image: "registry.invalid/report-gen:1" }] },
    });
  });

  afterAll(async () => {
    await controllers?.stop();
    await intake?.handle.stop();
    await nats?.stop();
    if (scratch !== "") await rm(scratch, { recursive: true, force: true });
  });

  /** The crypto-miner Falco alert of the test fixtures, about the test's namespace. */
  async function alert(): Promise<unknown> {
    const value = JSON.parse(await readFile(new URL("../fixtures/cli-test/falco-crypto-miner.json", import.meta.url), "utf8")) as { output_fields: Record<string, unknown> };
    return { ...value, output_fields: { ...value.output_fields, "k8s.ns.name": namespace } };
  }

  async function offlineReport(playbookFile: string, eventFile: string, configFile: string): Promise<AlertReport> {
    let stdout = "";
    let stderr = "";
    const io: CliIO = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env: {}, cwd: scratch };
    const code = await testCommand.run([playbookFile, "--event", eventFile, "--config", configFile, "-o", "json"], io);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [only] = (JSON.parse(stdout) as TestReport).alerts;
    if (only === undefined) throw new Error("the test reported no alert");
    return only;
  }

  it("opens the Incident and renders the steps the test reported", async () => {
    const playbookFile = path.join(scratch, "playbook.yaml");
    const eventFile = path.join(scratch, "alert.json");
    const configFile = path.join(scratch, "operator.yaml");
    await writeFile(playbookFile, stringify({ apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Playbook", metadata: { name: "miner", namespace }, spec: playbookSpec }));
    await writeFile(eventFile, JSON.stringify(await alert()));
    // The settings of the operator started below (testOptions and startControllers).
    await writeFile(configFile, stringify({ namespace: OPERATOR_NAMESPACE, "default-namespace": namespace, "unmatched-min-severity": "info" }));
    const offline = await offlineReport(playbookFile, eventFile, configFile);
    expect(offline.trigger.matched).toBe(true);
    expect(offline.run?.phase).toBe("Succeeded");
    const [mark, collect] = offline.run?.steps ?? [];

    nats = await startNats({ binDir: inject("binDir") });
    intake = await startTestIntake(kubeConfig, testOptions({ natsUrl: nats.url, defaultNamespace: namespace, operatorNamespace: OPERATOR_NAMESPACE }), (condition, description) => waitFor(condition, { timeoutMs: 30_000, description }));
    controllers = await startControllers(kubeConfig, namespace);
    const objects = new SoarObjects(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      await objects.createPlaybook("miner", playbookSpec);
      await waitFor(async () => conditionOf(await objects.playbook("miner"))?.status === "True", { ...WAIT, description: "Playbook miner to be Ready" });
      const answer = await post(intake?.receiverUrl ?? "", "/falco", JSON.stringify(await alert()), { ...RECEIVER_AUTH, "content-type": "application/json" });
      expect(answer.status).toBe(202);

      const incident: Incident = await waitFor(async () => {
        const [found] = await listIncidents(kubeConfig, namespace);
        return found !== undefined && stepOf(found, "collect")?.job !== undefined ? found : undefined;
      }, { ...WAIT, description: "the Incident's collect step to create its Job" });

      expect(incident.metadata.name).toBe(offline.incident?.name);
      expect(incident.spec).toMatchObject({
        severity: offline.severity,
        title: offline.title,
        fingerprint: offline.incident?.fingerprint,
        playbooks: offline.incident?.playbooks,
        resources: offline.resources,
      });
      expect(incident.spec.opening?.observables).toEqual(offline.observables);
      expect(stepOf(incident, "mark")?.phase).toBe("Succeeded");

      const pod = await kubeConfig.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name: POD });
      expect(mark?.action).toEqual({ type: "label", target: { kind: "Pod", namespace, name: POD }, params: { "security.example.com/process": "xmrig" } });
      expect(pod.metadata?.labels?.["security.example.com/process"]).toBe(mark?.action?.params?.["security.example.com/process"]);

      const [job] = await objects.jobs();
      const container = job?.spec?.template.spec?.containers[0];
      expect(collect?.job).toEqual({
        image: container?.image,
        command: container?.command,
        args: container?.args,
        env: Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.valueFrom?.secretKeyRef === undefined ? variable.value : `secretKeyRef: ${variable.valueFrom.secretKeyRef.name}/${variable.valueFrom.secretKeyRef.key}`])),
        activeDeadlineSeconds: job?.spec?.activeDeadlineSeconds,
      });
      expect(collect?.job?.args).toEqual([`--pod=${POD}`, "--rule=Detect outbound connections to common miner pool ports", "--ip=203.0.113.45", `--incident=${incident.metadata.name ?? ""}`]);
    });
  });
});
