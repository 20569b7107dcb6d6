import { describe, expect, it } from "vitest";
import type { Playbook, PlaybookSpec, PlaybookStep } from "../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../expr/index.ts";
import { compilePlaybook } from "./compile-playbook.ts";
import { PlaybookCompiler } from "./playbook-compiler.ts";
import { triggerMatches } from "./trigger-match.ts";
import { API_VERSION } from "../api/v1alpha1/constants.ts";

const expressions = createExpressionCompiler();

const scan: PlaybookStep = { name: "scan", job: { image: "scanner:1", args: ["--pod", "${{ incident.resources.pod }}"] } };

function playbookWith(spec: Partial<PlaybookSpec>, metadata: Playbook["metadata"] = {}): Playbook {
  return {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: { name: "miner", namespace: "soar", uid: "uid-1", generation: 1, ...metadata },
    spec: { trigger: { types: ["falco.rule.output.v1"] }, steps: [scan], ...spec },
  };
}

describe("compilePlaybook", () => {
  it("compiles a valid playbook with its references, durations and graph", () => {
    const compiled = compilePlaybook(
      playbookWith({
        trigger: { types: ["t"], sources: ["s"], minSeverity: "high", when: 'event.type == "t"' },
        dedup: { key: "event.source", window: "30m" },
        serviceAccountName: "responder",
        steps: [
          { ...scan, timeout: "2m", retries: { limit: 2, backoff: "5s" }, when: "incident.severity == 'high'" },
          { name: "approve", needs: ["scan"], approval: { message: "isolate ${{ incident.resources.pod }}?", timeout: "1h" } },
          { name: "tell", needs: ["approve"], notify: { connector: "slack", message: "done" } },
          { name: "forensics", job: { image: "f:1", serviceAccountName: "forensics" } },
        ],
      }),
      expressions,
    );
    expect(compiled.problems).toEqual([]);
    expect(compiled.graph?.mode).toBe("dag");
    expect(compiled.dedup.windowMs).toBe(30 * 60_000);
    expect(compiled.dedup.key).toBeDefined();
    expect(compiled.trigger.types).toEqual(new Set(["t"]));
    expect(compiled.trigger.minSeverity).toBe("high");
    const [first, second] = compiled.steps;
    expect(first?.kind).toBe("job");
    expect(first?.timeoutMs).toBe(120_000);
    expect(first?.retryLimit).toBe(2);
    expect(first?.retryBackoffMs).toBe(5_000);
    expect([...(first?.templates.keys() ?? [])]).toEqual(["job.args[0]", "job.args[1]"]);
    expect(second?.approvalTimeoutMs).toBe(3_600_000);
    expect(compiled.connectorRefs).toEqual([{ field: "spec.steps[2].notify.connector", name: "slack" }]);
    expect(compiled.serviceAccountRefs).toEqual([
      { field: "spec.serviceAccountName", name: "responder" },
      { field: "spec.steps[3].job.serviceAccountName", name: "forensics" },
    ]);
  });

  it.each([
    {
      name: "an undeclared variable in a step when",
      spec: { steps: [scan, { name: "b", job: { image: "x" } }, { name: "c", when: "evnt.type == 'x'", job: { image: "x" } }] },
      field: "spec.steps[2].when",
      reason: "InvalidExpression",
      message: "undeclared reference to 'evnt'",
    },
    {
      name: "a step variable in the trigger",
      spec: { trigger: { when: "steps.scan.outputs.x == 'y'" } },
      field: "spec.trigger.when",
      reason: "InvalidExpression",
      message: "undeclared reference to 'steps'",
    },
    {
      name: "a syntax error in the dedup key",
      spec: { dedup: { key: "event.source +" } },
      field: "spec.dedup.key",
      reason: "InvalidExpression",
      message: "syntax error",
    },
    {
      name: "a bad template in an env value",
      spec: { steps: [{ name: "a", job: { image: "x", env: [{ name: "OK", value: "v" }, { name: "BAD", value: "${{ nope }}" }] } }] },
      field: "spec.steps[0].job.env[1].value",
      reason: "InvalidExpression",
      message: "undeclared reference to 'nope'",
    },
    {
      name: "a bad template in an approval message",
      spec: { steps: [{ name: "a", approval: { message: "ok ${{ event. }}" } }] },
      field: "spec.steps[0].approval.message",
      reason: "InvalidExpression",
      message: "template segment 0",
    },
    {
      name: "a dependency cycle",
      spec: { steps: [{ name: "a", needs: ["b"], job: { image: "x" } }, { name: "b", needs: ["a"], job: { image: "x" } }] },
      field: "spec.steps[1].needs",
      reason: "InvalidStepGraph",
      message: "dependency cycle: a -> b -> a",
    },
    {
      name: "a missing need",
      spec: { steps: [{ name: "a", needs: ["ghost"], job: { image: "x" } }] },
      field: "spec.steps[0].needs[0]",
      reason: "InvalidStepGraph",
      message: 'no step named "ghost" in this Playbook',
    },
    {
      name: "a trigger without criteria",
      spec: { trigger: {} },
      field: "spec.trigger",
      reason: "InvalidSpec",
      message: "at least one of types, sources or when is required",
    },
    {
      name: "a step with two kinds",
      spec: { steps: [{ name: "a", job: { image: "x" }, approval: {} }] },
      field: "spec.steps[0]",
      reason: "InvalidSpec",
      message: "found job, approval",
    },
    {
      name: "a step with no kind",
      spec: { steps: [{ name: "a" }] },
      field: "spec.steps[0]",
      reason: "InvalidSpec",
      message: "none is",
    },
    {
      name: "a zero timeout",
      spec: { steps: [{ name: "a", timeout: "0s", job: { image: "x" } }] },
      field: "spec.steps[0].timeout",
      reason: "InvalidSpec",
      message: "is not a positive duration",
    },
    {
      name: "a malformed dedup window",
      spec: { dedup: { window: "soon" } },
      field: "spec.dedup.window",
      reason: "InvalidSpec",
      message: "is not a duration",
    },
  ])("reports $name on its field", ({ spec, field, reason, message }) => {
    const compiled = compilePlaybook(playbookWith(spec), expressions);
    expect(compiled.problems).toHaveLength(1);
    expect(compiled.problems[0]?.field).toBe(field);
    expect(compiled.problems[0]?.reason).toBe(reason);
    expect(compiled.problems[0]?.message).toContain(message);
  });

  it("reports every problem at once", () => {
    const compiled = compilePlaybook(
      playbookWith({
        trigger: { when: "evnt.x" },
        steps: [{ name: "a", needs: ["a"], when: "nope", job: { image: "x" } }],
      }),
      expressions,
    );
    expect(compiled.problems.map((problem) => problem.field)).toEqual([
      "spec.trigger.when",
      "spec.steps[0].when",
      "spec.steps[0].needs[0]",
    ]);
    expect(compiled.graph).toBeUndefined();
  });
});

describe("PlaybookCompiler", () => {
  it.each([
    { name: "same uid and generation share one result", second: { uid: "uid-1", generation: 1 }, same: true },
    { name: "a new generation is compiled again", second: { uid: "uid-1", generation: 2 }, same: false },
    { name: "a recreated playbook is compiled again", second: { uid: "uid-2", generation: 1 }, same: false },
  ])("$name", ({ second, same }) => {
    const compiler = new PlaybookCompiler(expressions);
    const first = compiler.compile(playbookWith({}, { uid: "uid-1", generation: 1 }));
    const again = compiler.compile(playbookWith({}, second));
    expect(again === first).toBe(same);
  });

  it("keeps at most maxEntries generations", () => {
    const compiler = new PlaybookCompiler(expressions, 2);
    for (let generation = 1; generation <= 5; generation += 1) compiler.compile(playbookWith({}, { generation }));
    expect(compiler.size).toBe(2);
  });

  it("rejects a non-positive bound", () => {
    expect(() => new PlaybookCompiler(expressions, 0)).toThrow("maxEntries must be a positive integer");
  });
});

describe("triggerMatches", () => {
  const trigger = compilePlaybook(
    playbookWith({
      trigger: {
        types: ["falco.rule.output.v1"],
        sources: ["https://falco.org"],
        minSeverity: "high",
        when: 'event.data.rule == "Terminal shell in container"',
      },
    }),
    expressions,
  ).trigger;
  const event = { data: { rule: "Terminal shell in container" } };
  const base = { type: "falco.rule.output.v1", source: "https://falco.org", severity: "critical" as const };

  it.each([
    { name: "everything matches", input: { ...base, variables: { event } }, matches: true },
    { name: "another type", input: { ...base, type: "other", variables: { event } }, matches: false },
    { name: "another source", input: { ...base, source: "elsewhere", variables: { event } }, matches: false },
    { name: "severity below the minimum", input: { ...base, severity: "medium" as const, variables: { event } }, matches: false },
    { name: "when is false", input: { ...base, variables: { event: { data: { rule: "x" } } } }, matches: false },
    { name: "when fails on a missing key", input: { ...base, variables: { event: { data: {} } } }, matches: false },
  ])("$name", ({ input, matches }) => {
    expect(triggerMatches(trigger, input)).toBe(matches);
  });
});
