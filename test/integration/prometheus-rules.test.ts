import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { parse, stringify } from "yaml";
import { binaryPath, REPO_ROOT, type BinaryName } from "../../hack/harness/binaries.ts";
import { waitFor } from "../support/kube.ts";
import { manifests, only, runTool } from "../support/install-tools.ts";
import { OperatorTestbed } from "../support/operator-process.ts";

// The alerts of config/prometheus/rules.yaml and the dashboard of config/grafana/ under the real
// promtool (built from github.com/prometheus/prometheus by hack/build-tools.sh), and every
// metric they query checked against what a real operator process serves on /metrics.
const RULES = join(REPO_ROOT, "config", "prometheus", "rules.yaml");
const RULE_TESTS = join(REPO_ROOT, "config", "prometheus", "rules-tests.yaml");
const DASHBOARD = join(REPO_ROOT, "config", "grafana", "kube-soar.json");
/** The plain rule file rules-tests.yaml names: the PrometheusRule's groups, written by {@link ruleDir}. */
const RULE_FILE = "kube-soar.rules.yaml";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface RuleGroups {
  groups: { name: string; rules: { alert?: string; expr: string }[] }[];
}

interface RuleTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

async function run(name: BinaryName, args: readonly string[], cwd = REPO_ROOT): Promise<Run> {
  const command = await binaryPath(inject("binDir"), name);
  return await new Promise((resolve) => {
    execFile(command, args, { encoding: "utf8", cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

async function ruleGroups(): Promise<RuleGroups> {
  const rule = parse(await readFile(RULES, "utf8")) as { kind: string; spec: RuleGroups };
  expect(rule.kind).toBe("PrometheusRule");
  return rule.spec;
}

const dirs: string[] = [];

/** A directory holding `groups` as the plain rule file promtool reads, next to a copy of the rule tests. */
async function ruleDir(groups: RuleGroups): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kube-soar-rules-"));
  dirs.push(dir);
  await writeFile(join(dir, RULE_FILE), stringify(groups));
  await copyFile(RULE_TESTS, join(dir, "rules-tests.yaml"));
  return dir;
}

/**
 * Whether the exposition `text` serves the metric `name` a query uses: its `# TYPE` line, or for
 * `_bucket`, `_sum` and `_count` that of the histogram (or summary) they belong to. A metric
 * registered without samples yet (a histogram nothing observed) counts: it is served.
 */
function serves(types: ReadonlyMap<string, string>, name: string): boolean {
  if (types.has(name)) return true;
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (match === null) return false;
  const [, base = "", suffix] = match;
  const type = types.get(base);
  return type === "histogram" || (type === "summary" && suffix !== "bucket");
}

function metricTypes(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) types.set(match[1], match[2]);
  }
  return types;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("kube-soar's alerts under promtool", () => {
  it("promtool check rules accepts the PrometheusRule's groups", async () => {
    const groups = await ruleGroups();
    const count = groups.groups.reduce((total, group) => total + group.rules.length, 0);
    const checked = await run("promtool", ["check", "rules", RULE_FILE], await ruleDir(groups));
    expect(checked, checked.stderr).toMatchObject({ code: 0 });
    expect(checked.stdout).toContain(`SUCCESS: ${count} rules found`);
  });

  it("every alert has a unit test in which it fires and one in which it must not, and promtool test rules passes them", async () => {
    const groups = await ruleGroups();
    const tests = parse(await readFile(RULE_TESTS, "utf8")) as RuleTests;
    expect(tests.rule_files).toEqual([RULE_FILE]);
    const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
    const alerts = groups.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert === undefined ? [] : [rule.alert])));
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      expect(cases.some((entry) => entry.alertname === alert && (entry.exp_alerts ?? []).length > 0), `${alert} fires in a test`).toBe(true);
      expect(cases.some((entry) => entry.alertname === alert && (entry.exp_alerts ?? []).length === 0), `${alert} stays quiet in a test`).toBe(true);
    }
    const tested = await run("promtool", ["test", "rules", "rules-tests.yaml"], await ruleDir(groups));
    expect(tested, tested.stdout + tested.stderr).toMatchObject({ code: 0 });
    expect(tested.stdout).toContain("SUCCESS");
  });

  it("the unit tests fail when an alert's threshold changes", async () => {
    const groups = await ruleGroups();
    const loosened: RuleGroups = {
      groups: groups.groups.map((group) => ({
        ...group,
        rules: group.rules.map((rule) => (rule.alert === "KubeSoarApprovalWaiting" ? { ...rule, expr: rule.expr.replace("> 3600", "> 36000") } : rule)),
      })),
    };
    expect(JSON.stringify(loosened)).not.toEqual(JSON.stringify(groups));
    const tested = await run("promtool", ["test", "rules", "rules-tests.yaml"], await ruleDir(loosened));
    expect(tested.code).toBe(1);
    expect(tested.stdout + tested.stderr).toContain("alertname: KubeSoarApprovalWaiting");
  });
});

describe("the metrics that alerts and the dashboard query", () => {
  let bed: OperatorTestbed | undefined;

  afterAll(async () => {
    await bed?.close();
  });

  it("promql-metrics lists them with Prometheus's parser, and refuses an expression it cannot parse", async () => {
    const listed = await run("promql-metrics", [RULES, DASHBOARD]);
    expect(listed, listed.stderr).toMatchObject({ code: 0, stderr: "" });
    const names = listed.stdout.trim().split("\n");
    expect(names).toEqual(expect.arrayContaining(["soar_open_incidents", "soar_incidents_resolved_total", "controller_runtime_reconcile_time_seconds_bucket", "leader_election_master_status"]));

    const dir = await mkdtemp(join(tmpdir(), "kube-soar-dashboard-"));
    dirs.push(dir);
    const broken = join(dir, "broken.json");
    await writeFile(broken, JSON.stringify({ panels: [{ title: "Broken", targets: [{ refId: "A", expr: "sum(rate(soar_x[5m])" }, { refId: "B", expr: '{job="x"}' }] }] }));
    const refused = await run("promql-metrics", [broken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${broken}: panel "Broken": target A:`);
    expect(refused.stderr).toContain(`${broken}: panel "Broken": target B: selector {job="x"} names no metric`);
  });

  it("are all served on the operator's /metrics once its controllers run", async () => {
    bed = await OperatorTestbed.start({ prefix: "rule-metrics" });
    const testbed = bed;
    onTestFailed(async () => { console.log(await testbed.diagnostics()); });
    // Without leader election the process runs the controllers at once and reports itself leader.
    const operator = await bed.start("operator-a", { "leader-elect": "false" });
    const body = await waitFor(
      async () => {
        const metrics = await operator.metrics();
        return metrics.status === 200 && metrics.body.includes('controller_runtime_reconcile_total{controller="incident"') ? metrics.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: "the operator's controllers to register their metrics" },
    );
    expect(body).toContain('leader_election_master_status{name="kube-soar-controllers"} 1');

    const listed = await run("promql-metrics", [RULES, DASHBOARD]);
    expect(listed.code).toBe(0);
    const names = listed.stdout.trim().split("\n");
    const types = metricTypes(body);
    expect(names.filter((name) => !serves(types, name))).toEqual([]);
  });
});

describe("the chart", () => {
  it("ships the same alerts and dashboard as config/, behind their values", async () => {
    const rendered = await runTool("helm", [
      "template", "soc", "charts/kube-soar",
      "--set", "prometheusRule.enabled=true", "--set", "grafanaDashboard.enabled=true",
      "--api-versions", "monitoring.coreos.com/v1/PrometheusRule",
    ]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const objects = manifests(rendered.stdout);
    expect(only(objects, "PrometheusRule")["spec"]).toEqual(await ruleGroups());
    const dashboard = only(objects, "ConfigMap", "soc-kube-soar-dashboard");
    expect(dashboard.metadata.labels?.["grafana_dashboard"]).toBe("1");
    expect((dashboard["data"] as Record<string, string>)["kube-soar.json"]).toBe(await readFile(DASHBOARD, "utf8"));

    const defaults = manifests((await runTool("helm", ["template", "soc", "charts/kube-soar", "--api-versions", "monitoring.coreos.com/v1/PrometheusRule"])).stdout);
    expect(defaults.filter((object) => object.kind === "PrometheusRule" || object.metadata.name === "soc-kube-soar-dashboard")).toEqual([]);
  });
});
