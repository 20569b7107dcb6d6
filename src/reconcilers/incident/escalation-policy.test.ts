import { describe, expect, it } from "vitest";
import type { Playbook, PlaybookEscalation, Severity } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { compilePlaybook, PlaybookCompiler } from "../../playbook/index.ts";
import { anIncident, aPlaybook } from "../../testing/objects.ts";
import { escalationCandidates, recordedLevelOf, selectEscalationPolicy, type EscalationCandidate } from "./escalation-policy.ts";

const expressions = createExpressionCompiler();
// Caches by uid and generation: each test that compiles through it uses Playbooks of its own names.
const compiler = new PlaybookCompiler(expressions);
const ready = {
  observedGeneration: 1,
  conditions: [{ type: "Ready", status: "True" as const, reason: "Succeeded", message: "ok", lastTransitionTime: "2026-03-01T00:00:00Z", observedGeneration: 1 }],
};

function playbook(name: string, escalation: PlaybookEscalation | undefined, extra: Partial<Playbook["spec"]> = {}, status: Playbook["status"] = ready): Playbook {
  return aPlaybook({
    metadata: { name, uid: `${name}-uid` },
    spec: { steps: [{ name: "tell", notify: { connector: "chat", message: "m" } }], ...(escalation === undefined ? {} : { escalation }), ...extra },
    status,
  });
}

function candidate(name: string, escalation: PlaybookEscalation): EscalationCandidate {
  const compiled = compilePlaybook(playbook(name, escalation), expressions).escalation;
  if (compiled === undefined) throw new Error(`escalation of ${name} does not compile`);
  return { playbook: name, dryRun: false, escalation: compiled };
}

const pagerIn = (after: string, severities?: Severity[]): PlaybookEscalation => ({ ...(severities === undefined ? {} : { severities }), levels: [{ after, connector: "pager" }] });

describe("selectEscalationPolicy", () => {
  it.each([
    { name: "none without candidates", candidates: [], severity: "high" as const, chosen: undefined },
    { name: "the only candidate", candidates: [candidate("a", pagerIn("10m"))], severity: "high" as const, chosen: "a" },
    { name: "the soonest first level", candidates: [candidate("a", pagerIn("10m")), candidate("b", pagerIn("5m"))], severity: "high" as const, chosen: "b" },
    { name: "the first name on a tie", candidates: [candidate("b", pagerIn("5m")), candidate("a", pagerIn("300s"))], severity: "high" as const, chosen: "a" },
    { name: "none whose severities leave the Incident out", candidates: [candidate("a", pagerIn("1m", ["critical"]))], severity: "high" as const, chosen: undefined },
    {
      name: "a later one that covers the severity over a sooner one that does not",
      candidates: [candidate("a", pagerIn("1m", ["critical"])), candidate("b", pagerIn("30m", ["high", "critical"]))],
      severity: "high" as const,
      chosen: "b",
    },
  ])("chooses $name", ({ candidates, severity, chosen }) => {
    expect(selectEscalationPolicy(candidates, severity)?.playbook).toBe(chosen);
  });
});

describe("escalationCandidates", () => {
  const lookup = (playbooks: Playbook[]) => (_namespace: string, name: string) => playbooks.find((candidate) => candidate.metadata.name === name);

  it("keeps the matched Playbooks that exist, are Ready, not suspended, and declare an escalation that compiles", () => {
    const incident = anIncident({ spec: { playbooks: ["good", "plain", "suspended", "unready", "gone", "dry"] } });
    const playbooks = [
      playbook("good", pagerIn("5m")),
      playbook("plain", undefined),
      playbook("suspended", pagerIn("5m"), { suspend: true }),
      playbook("unready", pagerIn("5m"), {}, { observedGeneration: 1, conditions: [{ ...ready.conditions[0], status: "False" as const, reason: "ConnectorNotFound" }] } as Playbook["status"]),
      playbook("dry", pagerIn("5m"), { dryRun: true }),
    ];
    expect(escalationCandidates(incident, lookup(playbooks), compiler).map(({ playbook: name, dryRun }) => ({ name, dryRun }))).toEqual([
      { name: "good", dryRun: false },
      { name: "dry", dryRun: true },
    ]);
  });

  it("finds a recorded level in the Playbook as the cache holds it now, Ready or not", () => {
    const incident = anIncident({ spec: { playbooks: ["pb"] } });
    const levelOf = recordedLevelOf(incident, lookup([playbook("pb", pagerIn("5m"), {}, {})]), compiler);
    expect(levelOf("pb", 1)?.connector).toBe("pager");
    expect(levelOf("pb", 2)).toBeUndefined();
    expect(levelOf("other", 1)).toBeUndefined();
  });
});
