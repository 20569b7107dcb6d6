import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../command.ts";
import { testCommand } from "./test-command.ts";
import type { TestReport } from "./test-report.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = "test/fixtures/cli-test";
const MINER = `${FIXTURES}/falco-crypto-miner.json`;
const SHELL = `${FIXTURES}/falco-terminal-shell.json`;
const SCAN = `${FIXTURES}/playbook-scan.yaml`;
const NOW = "2026-12-01T00:00:00Z";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function soarTest(args: readonly string[], cwd = REPO_ROOT): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env: {}, cwd };
  const code = await testCommand.run(args, io);
  return { code, stdout, stderr };
}

/** The JSON report of a test that must run. */
async function report(args: readonly string[], cwd = REPO_ROOT): Promise<TestReport> {
  const run = await soarTest([...args, "-o", "json", "--now", NOW], cwd);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as TestReport;
}

function onlyAlert(result: TestReport): TestReport["alerts"][number] {
  expect(result.alerts).toHaveLength(1);
  const [alert] = result.alerts;
  if (alert === undefined) throw new Error("no alert");
  return alert;
}

describe("kubectl soar test", () => {
  let scratch = "";
  afterEach(async () => {
    if (scratch !== "") await rm(scratch, { recursive: true, force: true });
    scratch = "";
  });

  async function file(name: string, text: string): Promise<string> {
    if (scratch === "") scratch = await mkdtemp(path.join(tmpdir(), "soar-test-"));
    const full = path.join(scratch, name);
    await writeFile(full, text);
    return full;
  }

  it("reports the match, the dedup key, the Incident and each step as the operator renders it", async () => {
    const alert = onlyAlert(await report(["config/samples/playbook-crypto-miner.yaml", "--event", MINER]));
    expect(alert).toMatchObject({
      kind: "falco",
      severity: "critical",
      title: "Detect outbound connections to common miner pool ports",
      resources: { namespace: "batch", pod: "report-gen-7f9c-kq2lz", container: "worker", node: "worker-1" },
      trigger: { matched: true },
      dedupKey: "batch/report-gen-7f9c-kq2lz",
      incident: { namespace: "soar-system", name: "falco-detect-outbound-connections-to-common-miner-po-a84a1bcdb8", window: "1h", playbooks: ["falco-crypto-miner"] },
    });
    expect(alert.run?.phase).toBe("Succeeded");
    expect(alert.run?.steps.map((step) => [step.name, step.phase])).toEqual([["isolate", "Succeeded"], ["logs", "Succeeded"], ["forensics", "Succeeded"], ["notify", "Succeeded"]]);
    const [isolate, , forensics, notify] = alert.run?.steps ?? [];
    expect(isolate).toMatchObject({ guard: { decision: "allowed" }, action: { type: "isolatePod", target: { kind: "Pod", namespace: "batch", name: "report-gen-7f9c-kq2lz" } } });
    expect(forensics?.job).toEqual({
      image: "registry.example.com/soar/forensics-collector:1.0.0",
      args: ["collect", "--namespace=batch", "--pod=report-gen-7f9c-kq2lz", "--node=worker-1"],
      activeDeadlineSeconds: 900,
    });
    expect(notify?.call?.message).toBe(
      "Crypto-miner traffic from batch/report-gen-7f9c-kq2lz: the Pod is isolated and forensics were collected. Incident falco-detect-outbound-connections-to-common-miner-po-a84a1bcdb8.",
    );
  });

  it("says which criterion failed when the trigger does not match, and where intake puts the alert instead", async () => {
    const alert = onlyAlert(await report(["config/samples/playbook-crash-loop.yaml", "--event", MINER]));
    expect(alert.trigger).toEqual({
      matched: false,
      checks: [
        { criterion: "namespace", passed: true, detail: "the Playbook is in the operator's namespace soar-system, which sees every alert" },
        { criterion: "types", passed: false, detail: 'type "falco.rule.output.v1"; the trigger takes "io.prometheus.alertmanager.alert.v1"' },
        { criterion: "when", passed: false, detail: 'event.data.labels.alertname == "KubePodCrashLooping" could not be evaluated: field not found: labels at 1:11' },
      ],
    });
    // A critical alert no Playbook matches opens an Incident in the default namespace (--unmatched-min-severity high).
    expect(alert.incident).toMatchObject({ namespace: "soar-system", playbooks: [] });
    expect(alert.run).toBeUndefined();
  });

  it("keeps a tenant Playbook away from another namespace's alert", async () => {
    const alert = onlyAlert(await report([SCAN, "--event", MINER]));
    expect(alert.trigger.matched).toBe(false);
    expect(alert.trigger.checks[0]).toEqual({ criterion: "namespace", passed: false, detail: 'the alert is about namespace "batch"; a Playbook in "shop" sees only alerts about its own namespace' });
  });

  it("shows outputs of earlier steps as placeholders, and uses those given with --outputs", async () => {
    const unknown = onlyAlert(await report([SCAN, "--event", SHELL]));
    const [scan, mark, remove, tell] = unknown.run?.steps ?? [];
    expect(scan).toMatchObject({ phase: "Succeeded", outputs: { verdict: "<from steps.scan.outputs.verdict>" }, job: { env: { SCANNER_TOKEN: "secretKeyRef: scanner/token" } } });
    expect(mark).toMatchObject({ phase: "Skipped", when: { result: false, unknownOutputs: ["steps.scan.outputs.verdict"] } });
    expect(remove).toMatchObject({ phase: "Blocked", guard: { decision: "refused", reason: "ApprovalRequired" } });
    expect(tell).toMatchObject({ phase: "Skipped", message: "not run: step delete failed" });

    const outputs = await file("outputs.yaml", "scan:\n  verdict: malicious\n");
    const known = onlyAlert(await report([SCAN, "--event", SHELL, "--outputs", outputs]));
    const marked = known.run?.steps[1];
    expect(marked).toMatchObject({ phase: "Succeeded", when: { result: true }, action: { type: "label", params: { "security.example.com/verdict": "malicious" } } });
    expect(marked?.when?.unknownOutputs).toBeUndefined();
  });

  it("decides guards and dry runs under the operator settings of --config", async () => {
    const config = await file("config.yaml", "dry-run: true\nprotected-namespaces: [shop]\n");
    const alert = onlyAlert(await report([SCAN, "--event", SHELL, "--config", config]));
    expect(alert.run).toMatchObject({ dryRun: true, phase: "Failed" });
    const [scan, , remove] = alert.run?.steps ?? [];
    expect(scan?.rendered).toEqual({
      image: "registry.example.com/soar/scanner:1.0.0",
      args: '["--pod=web-6d8f7b9c4-x2k9p","--image=registry.example.com/shop/web:1.14.2"]',
      env: '{"SCANNER_TOKEN":{"secretKeyRef":{"name":"scanner","key":"token"}}}',
    });
    expect(remove?.guard).toEqual({ decision: "refused", reason: "ProtectedNamespace", message: "step delete: deletePod on Pod shop/web-6d8f7b9c4-x2k9p refused: namespace shop is protected" });
  });

  it("starts nothing while the operator is paused", async () => {
    const config = await file("config.yaml", "paused: true\n");
    const alert = onlyAlert(await report(["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "--config", config]));
    expect(alert.run?.phase).toBe("Running");
    expect(alert.run?.steps.map((step) => step.phase)).toEqual(["Pending", "Pending", "Pending", "Pending"]);
  });

  it("tests a tenant Playbook in the namespace given with -n", async () => {
    const alert = onlyAlert(await report(["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "-n", "batch"]));
    expect(alert.incident?.namespace).toBe("batch");
    expect(alert.run?.steps[0]?.guard).toEqual({ decision: "allowed" });
  });

  it("takes every alert of an Alertmanager webhook and a CloudEvent, told apart by their shape", async () => {
    const webhook = await report(["config/samples/playbook-crash-loop.yaml", "--event", `${FIXTURES}/alertmanager-crash-loop.json`, "-n", "payments"]);
    expect(webhook.alerts.map((alert) => [alert.kind, alert.dedupKey, alert.run?.steps[1]?.job?.args])).toEqual([
      ["alertmanager", "payments/payments-api-5c9d7f-8xkq2", ["--namespace=payments", "--pod=payments-api-5c9d7f-8xkq2", "--container=api"]],
      ["alertmanager", "payments/payments-worker-77b9d-2mzzc", ["--namespace=payments", "--pod=payments-worker-77b9d-2mzzc", "--container=worker"]],
    ]);
    const cloudEvent = onlyAlert(await report(["config/samples/playbook-crypto-miner.yaml", "--event", `${FIXTURES}/cloudevent-vulnerability.json`]));
    expect(cloudEvent).toMatchObject({ kind: "cloudevent", type: "com.example.vulnerability.detected", severity: "high", trigger: { matched: false } });
  });

  it("passes an expectation that holds and prints nothing else", async () => {
    const run = await soarTest(["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "--expect", `${FIXTURES}/expect-crypto-miner.yaml`]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`test: config/samples/playbook-crypto-miner.yaml with ${MINER}: as expected (${FIXTURES}/expect-crypto-miner.yaml)\n`);
    expect(run.code).toBe(0);
  });

  it("prints a diff and exits 1 when the expectation does not hold", async () => {
    const expectation = await file("expect.yaml", "alerts:\n  - dedupKey: batch/other\n    incident: null\n    run:\n      steps:\n        - name: forensics\n          job: {args: [collect]}\n        - name: missing\n          phase: Succeeded\n");
    const run = await soarTest(["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "--expect", expectation]);
    expect(run.stdout).toBe(
      [
        `--- expected (${expectation})`,
        "+++ actual",
        "@@ alerts[0].dedupKey @@",
        '-"batch/other"',
        '+"batch/report-gen-7f9c-kq2lz"',
        "@@ alerts[0].incident @@",
        "-null",
        '+{"namespace":"soar-system","name":"falco-detect-outbound-connections-to-common-miner-po-a84a1bcdb8","fingerprint":"a84a1bcdb8a59f3d06bc19a1daa2583cfe75b105e165f12266156bd79f36ac12","window":"1h","playbooks":["falco-crypto-miner"]}',
        "@@ alerts[0].run.steps[name=forensics].job.args @@",
        '-["collect"]',
        '+["collect","--namespace=batch","--pod=report-gen-7f9c-kq2lz","--node=worker-1"]',
        "@@ alerts[0].run.steps[name=missing] @@",
        '-{"name":"missing","phase":"Succeeded"}',
        "+(absent)",
        "",
      ].join("\n"),
    );
    expect(run.code).toBe(1);
  });

  it("refuses a Playbook the operator would not run, with lint's findings", async () => {
    const run = await soarTest(["test/fixtures/lint/step-graph-cycle.yaml", "--event", MINER]);
    expect(run.stderr).toBe(
      "test/fixtures/lint/step-graph-cycle.yaml:15:7: spec.steps[1].needs: dependency cycle: scan -> report -> scan\n" +
        "test: test/fixtures/lint/step-graph-cycle.yaml: the operator would not run this Playbook (see kubectl soar lint)\n",
    );
    expect(run.code).toBe(1);
  });

  it("refuses a PLAYBOOK file that is not valid YAML, naming the position", async () => {
    const run = await soarTest(["test/fixtures/lint/yaml-syntax.yaml", "--event", MINER]);
    expect(run.stderr).toBe("test: test/fixtures/lint/yaml-syntax.yaml:9:3: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n");
    expect(run.code).toBe(1);
  });

  it("picks one Playbook of several with --name", async () => {
    const playbooks = await file("two.yaml", `${await readFile(path.join(REPO_ROOT, "config/samples/playbook-crypto-miner.yaml"), "utf8")}\n---\n${await readFile(path.join(REPO_ROOT, SCAN), "utf8")}`);
    const both = await soarTest([playbooks, "--event", MINER]);
    expect(both.stderr).toBe(`test: ${playbooks}: holds 2 Playbooks (falco-crypto-miner, scan-and-contain); test takes one (--name picks it)\n`);
    expect(both.code).toBe(2);
    expect(onlyAlert(await report([playbooks, "--name", "falco-crypto-miner", "--event", MINER])).trigger.matched).toBe(true);
  });

  it("says why intake refuses an alert", async () => {
    const event = await file("event.json", JSON.stringify({ specversion: "1.0", id: "", source: "s", type: "t" }));
    const run = await soarTest(["config/samples/playbook-crypto-miner.yaml", "--event", event]);
    expect(run.stderr).toMatch(/^test: --event .*event\.json: intake refuses the cloudevent payload \(invalid-attribute\): id: /);
    expect(run.code).toBe(1);
  });

  it.each([
    { args: [], message: "name the PLAYBOOK file to test" },
    { args: ["config/samples/playbook-crypto-miner.yaml"], message: "--event ALERT.json is required" },
    { args: ["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "--format", "xml"], message: '--format must be one of auto, falco, alertmanager, cloudevent, not "xml"' },
    { args: ["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "--now", "yesterday"], message: '--now must be an RFC 3339 time such as 2026-01-02T03:04:05Z, not "yesterday"' },
  ])("refuses $args with exit code 2", async ({ args, message }) => {
    const run = await soarTest(args);
    expect(run.stderr).toBe(`test: ${message}\nRun 'kubectl soar test --help' for usage.\n`);
    expect(run.code).toBe(2);
  });

  it("refuses a file it cannot read or a Playbook file without exactly one Playbook", async () => {
    expect((await soarTest(["no-such.yaml", "--event", MINER])).stderr).toBe("test: PLAYBOOK no-such.yaml: no such file\n");
    const run = await soarTest(["config/samples/connector-slack.yaml", "--event", MINER]);
    expect(run.stderr).toBe("test: config/samples/connector-slack.yaml: holds no Playbooks; test takes one (--name picks it)\n");
    expect(run.code).toBe(2);
  });

  it("refuses a --config key that is not an operator setting it uses", async () => {
    const config = await file("config.yaml", "nats-servers: [nats://x]\n");
    const run = await soarTest(["config/samples/playbook-crypto-miner.yaml", "--event", MINER, "--config", config]);
    expect(run.stderr).toContain(`test: --config ${config}: nats-servers: not a setting test uses; it reads namespace, protected-namespaces,`);
    expect(run.code).toBe(2);
  });

  it("prints its help with --help", async () => {
    const run = await soarTest(["--help"]);
    expect(run.stdout).toContain("Usage: kubectl soar test PLAYBOOK --event ALERT.json");
    expect(run.code).toBe(0);
  });
});
