import { describe, expect, it } from "vitest";
import { INCIDENT_STATES, PLAYBOOK_RUN_PHASES, STEP_PHASES } from "./constants.ts";
import { awaitedDecisions, isActive, isActiveFor, isHumanClosed, isHumanClosedState, isRunFinished, isRunInProgress, isStepTerminal, runOf } from "./lifecycle.ts";
import type { Incident, IncidentState, PlaybookRun } from "./types.generated.ts";

function incident(state: IncidentState | undefined, runs: PlaybookRun[]): Incident {
  return {
    apiVersion: "soar.kube-soar.io/v1alpha1",
    kind: "Incident",
    metadata: { name: "inc", namespace: "ns" },
    spec: { severity: "high", title: "t", fingerprint: "f", source: { kind: "falco" }, ...(state === undefined ? {} : { state }) },
    status: { playbooks: runs },
  };
}

describe("run and step predicates", () => {
  it.each(PLAYBOOK_RUN_PHASES.map((phase) => [phase]))("a run in phase %s is finished, in progress or not started, exactly one", (phase) => {
    const run = { phase };
    const notStarted = phase === "Pending";
    expect([isRunFinished(run), isRunInProgress(run), notStarted].filter(Boolean)).toHaveLength(1);
  });

  it("finishes runs in Succeeded, Failed and Skipped; runs are in progress while Running or AwaitingApproval", () => {
    expect(PLAYBOOK_RUN_PHASES.filter((phase) => isRunFinished({ phase }))).toEqual(["Succeeded", "Failed", "Skipped"]);
    expect(PLAYBOOK_RUN_PHASES.filter((phase) => isRunInProgress({ phase }))).toEqual(["Running", "AwaitingApproval"]);
  });

  it("ends steps in Succeeded, Failed, Skipped, Blocked and TimedOut; Pending, Running and Waiting steps go on", () => {
    expect(STEP_PHASES.filter((phase) => isStepTerminal({ phase }))).toEqual(["Succeeded", "Failed", "Skipped", "Blocked", "TimedOut"]);
  });
});

describe("human close", () => {
  it("is Resolved or Closed, by spec.state", () => {
    expect(INCIDENT_STATES.filter((state) => isHumanClosedState(state))).toEqual(["Resolved", "Closed"]);
    expect(isHumanClosedState(undefined)).toBe(false);
    expect(isHumanClosed(incident("Resolved", []))).toBe(true);
    expect(isHumanClosed(incident(undefined, []))).toBe(false);
  });
});

describe("active", () => {
  const running: PlaybookRun = { name: "pb", phase: "Running", startedAt: "2026-03-01T12:00:00Z" };

  it.each([
    { name: "a Running run of an Open Incident", state: undefined, runs: [running], active: true },
    { name: "a run awaiting approval of an Acknowledged Incident", state: "Acknowledged" as const, runs: [{ ...running, phase: "AwaitingApproval" as const }], active: true },
    { name: "a dry run in progress", state: undefined, runs: [{ ...running, dryRun: true }], active: true },
    { name: "a Pending run (not started)", state: undefined, runs: [{ name: "pb", phase: "Pending" as const }], active: false },
    { name: "a Succeeded run", state: undefined, runs: [{ ...running, phase: "Succeeded" as const }], active: false },
    { name: "a run Skipped at start", state: undefined, runs: [{ name: "pb", phase: "Skipped" as const }], active: false },
    { name: "a Running run of a Resolved Incident", state: "Resolved" as const, runs: [running], active: false },
    { name: "a Running run of a Closed Incident", state: "Closed" as const, runs: [running], active: false },
    { name: "no run of the Playbook", state: undefined, runs: [{ ...running, name: "other" }], active: false },
  ])("$name: active for pb is $active", ({ state, runs, active }) => {
    expect(isActiveFor(incident(state, runs), "pb")).toBe(active);
  });

  it("is active when active for any of its runs' Playbooks", () => {
    expect(isActive(incident(undefined, [{ name: "a", phase: "Succeeded" }, { ...running, name: "b" }]))).toBe(true);
    expect(isActive(incident(undefined, [{ name: "a", phase: "Succeeded" }, { name: "b", phase: "Pending" }]))).toBe(false);
    expect(isActive(incident("Closed", [running]))).toBe(false);
    expect(isActive(incident(undefined, []))).toBe(false);
  });

  it("finds a run by its Playbook's name", () => {
    expect(runOf(incident(undefined, [running]), "pb")).toBe(running);
    expect(runOf(incident(undefined, [running]), "other")).toBeUndefined();
  });
});

describe("awaitedDecisions", () => {
  it("lists approval steps waiting in open runs, not steps waiting to retry nor runs that finished", () => {
    const runs: PlaybookRun[] = [
      {
        name: "contain",
        phase: "AwaitingApproval",
        steps: [
          { name: "gate", phase: "Waiting", attempts: 1 },
          { name: "isolate", phase: "Pending" },
        ],
      },
      { name: "retrying", phase: "Running", steps: [{ name: "call", phase: "Waiting", attempts: 1, intent: { attempt: 1, id: "i" } }] },
      { name: "done", phase: "Failed", steps: [{ name: "gate", phase: "Waiting" }] },
    ];
    expect(awaitedDecisions(runs).map(({ run, step }) => `${run.name}/${step.name}`)).toEqual(["contain/gate"]);
  });
});
