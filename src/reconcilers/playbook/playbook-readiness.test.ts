import { describe, expect, it } from "vitest";
import type { Playbook, PlaybookSpec } from "../../api/v1alpha1/types.generated.ts";
import { EXECUTABLE_STEP_KINDS } from "../../steps/step-kinds.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { compilePlaybook, type StepKind } from "../../playbook/index.ts";
import { MAX_PLAYBOOK_WARNINGS } from "../../api/v1alpha1/bounds.ts";
import { MAX_LISTED_PROBLEMS, playbookReadiness } from "./playbook-readiness.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import type { TenancyVerdict } from "../../policy/index.ts";

const expressions = createExpressionCompiler();

function readiness(
  spec: Partial<PlaybookSpec>,
  existing: { connectors?: string[]; accounts?: string[]; kinds?: ReadonlySet<StepKind>; tenancy?: TenancyVerdict } = {},
) {
  const playbook: Playbook = {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: { name: "pb", namespace: "soc" },
    spec: { trigger: { types: ["t"] }, steps: [{ name: "a", job: { image: "x" } }], ...spec },
  };
  const result = playbookReadiness({
    playbook: compilePlaybook(playbook, expressions),
    stepKinds: existing.kinds ?? EXECUTABLE_STEP_KINDS,
    connectorExists: (name) => (existing.connectors ?? []).includes(name),
    serviceAccountExists: (name) => (existing.accounts ?? []).includes(name),
    tenancy: existing.tenancy ?? { verified: true },
  });
  return {
    problems: result.problems,
    warnings: result.warnings,
    conditions: Object.fromEntries(result.conditions.map((condition) => [condition.type, `${condition.status}/${condition.reason}`])),
    message: result.conditions.find((condition) => condition.type === "Ready")?.message ?? "",
  };
}

const notify = { name: "tell", notify: { connector: "slack", message: "hi" } };
const withNotify = new Set<StepKind>(["job", "approval", "notify"]);

describe("playbookReadiness", () => {
  it.each([
    {
      name: "valid and complete",
      spec: {},
      existing: {},
      conditions: { Ready: "True/Succeeded", Reconciling: "False/Succeeded", Stalled: "False/Succeeded" },
      message: "compiled 1 step(s), run in order",
    },
    {
      name: "an invalid expression stalls",
      spec: { trigger: { when: "evnt.x" } },
      existing: {},
      conditions: { Ready: "False/InvalidExpression", Reconciling: "False/InvalidExpression", Stalled: "True/InvalidExpression" },
      message: "spec.trigger.when: undeclared reference to 'evnt'",
    },
    {
      name: "an unavailable step kind stalls",
      spec: { steps: [{ name: "iso", action: { type: "isolatePod" as const } }] },
      existing: { kinds: new Set<StepKind>(["job", "approval"]) },
      conditions: { Ready: "False/StepKindUnavailable", Reconciling: "False/StepKindUnavailable", Stalled: "True/StepKindUnavailable" },
      message: 'spec.steps[0].action: step kind "action" is not available in this version of kube-soar (available: job, approval)',
    },
    {
      name: "actions are available in this version",
      spec: { steps: [{ name: "iso", action: { type: "isolatePod" as const } }] },
      existing: {},
      conditions: { Ready: "True/Succeeded", Reconciling: "False/Succeeded", Stalled: "False/Succeeded" },
      message: "compiled 1 step(s), run in order",
    },
    {
      name: "a missing Connector does not stall",
      spec: { steps: [notify] },
      existing: { kinds: withNotify },
      conditions: { Ready: "False/ConnectorNotFound", Reconciling: "False/ConnectorNotFound", Stalled: "False/ConnectorNotFound" },
      message: 'spec.steps[0].notify.connector: Connector "slack" not found in namespace soc',
    },
    {
      name: "a missing escalation Connector does not stall",
      spec: { escalation: { levels: [{ after: "15m", connector: "pager" }] } },
      existing: {},
      conditions: { Ready: "False/ConnectorNotFound", Reconciling: "False/ConnectorNotFound", Stalled: "False/ConnectorNotFound" },
      message: 'spec.escalation.levels[0].connector: Connector "pager" not found in namespace soc',
    },
    {
      name: "an escalation level not later than the one before stalls",
      spec: { escalation: { levels: [{ after: "15m", connector: "pager" }, { after: "10m", connector: "pager" }] } },
      existing: { connectors: ["pager"] },
      conditions: { Ready: "False/InvalidSpec", Reconciling: "False/InvalidSpec", Stalled: "True/InvalidSpec" },
      message: "spec.escalation.levels[1].after: 10m must be longer than levels[0].after (15m)",
    },
    {
      name: "an existing Connector is fine",
      spec: { steps: [notify] },
      existing: { kinds: withNotify, connectors: ["slack"] },
      conditions: { Ready: "True/Succeeded", Reconciling: "False/Succeeded", Stalled: "False/Succeeded" },
      message: "compiled 1 step(s), run in order",
    },
    {
      name: "a missing ServiceAccount does not stall",
      spec: { steps: [{ name: "a", job: { image: "x", serviceAccountName: "forensics" } }] },
      existing: {},
      conditions: { Ready: "False/ServiceAccountNotFound", Reconciling: "False/ServiceAccountNotFound", Stalled: "False/ServiceAccountNotFound" },
      message: 'spec.steps[0].job.serviceAccountName: ServiceAccount "forensics" not found in namespace soc',
    },
    {
      name: "Job steps the tenancy policy did not vouch for are not Ready, without stalling",
      spec: {},
      existing: { tenancy: { verified: false as const, reason: "TenancyUnverified" as const, field: "spec.steps[0].job", message: "the admission policy binding kube-soar-playbook-jobs is missing" } },
      conditions: { Ready: "False/TenancyUnverified", Reconciling: "False/TenancyUnverified", Stalled: "False/TenancyUnverified" },
      message: "spec.steps[0].job: the admission policy binding kube-soar-playbook-jobs is missing",
    },
    {
      name: "spec problems come first and decide the reason",
      spec: { serviceAccountName: "ghost", steps: [{ name: "a", needs: ["b"], job: { image: "x" } }, { name: "b", needs: ["a"], job: { image: "x" } }] },
      existing: {},
      conditions: { Ready: "False/InvalidStepGraph", Reconciling: "False/InvalidStepGraph", Stalled: "True/InvalidStepGraph" },
      message: 'spec.steps[1].needs: dependency cycle: a -> b -> a; spec.serviceAccountName: ServiceAccount "ghost" not found in namespace soc',
    },
  ])("$name", ({ spec, existing, conditions, message }) => {
    const result = readiness(spec, existing);
    expect(result.conditions).toEqual(conditions);
    expect(result.message.startsWith(message)).toBe(true);
  });

  it("lists a bounded number of problems and counts the rest", () => {
    const steps = Array.from({ length: 8 }, (_, index) => ({ name: `s${index}`, when: "nope", job: { image: "x" } }));
    const result = readiness({ steps });
    expect(result.problems).toHaveLength(8);
    expect(result.message.endsWith(`; and ${8 - MAX_LISTED_PROBLEMS} more problem(s)`)).toBe(true);
  });

  it("stays Ready with a template in a shell script and lists it as a warning", () => {
    const result = readiness({ steps: [{ name: "a", job: { image: "x", command: ["sh", "-c", "echo ${{ incident.title }}"] } }] });
    expect(result.conditions).toEqual({ Ready: "True/Succeeded", Reconciling: "False/Succeeded", Stalled: "False/Succeeded" });
    expect(result.warnings).toEqual([
      "spec.steps[0].job.command[2]: ${{ incident.title }} inside a shell script is run as shell code; use ${{ shellQuote(incident.title) }} or pass the value as an argument or environment variable",
    ]);
  });

  it("lists a bounded number of warnings and counts the rest", () => {
    const script = Array.from({ length: 40 }, (_, index) => `echo \${{ incident.title + "${index}" }}`).join("; ");
    const result = readiness({ steps: [{ name: "a", job: { image: "x", command: ["sh", "-c", script] } }] });
    expect(result.warnings).toHaveLength(MAX_PLAYBOOK_WARNINGS);
    expect(result.warnings.at(-1)).toBe(`and ${40 - MAX_PLAYBOOK_WARNINGS + 1} more warning(s)`);
  });
});
