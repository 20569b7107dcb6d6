import { describe, expect, it } from "vitest";
import type { Incident, IncidentApproval, Playbook, PlaybookStep, StepState } from "../../api/v1alpha1/types.generated.ts";
import { jobNameFor } from "../../steps/job/job-name.ts";
import { JOB_TIMEOUT_GRACE_MS } from "../../steps/job/job-step.ts";
import type { StepObservation } from "../../steps/plan-context.ts";
import type { EnsureJobEffect } from "../../steps/step-effects.ts";
import { compiledPlaybook } from "../../testing/compiled-playbook.ts";
import { beforeFixedNow, FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";
import { planFor, stateOf } from "../../testing/plan-run.ts";
import type { RunPlan } from "./plan.ts";
import type { TenancyVerdict } from "../../policy/index.ts";

const earlier = beforeFixedNow;

function incident(approvals: IncidentApproval[] = []): Incident {
  return anIncident({
    spec: {
      event: { id: "e1", source: "falco", type: "falco.rule.output.v1", data: { rule: "miner", pod: "web-0" } },
      resources: { namespace: "shop", pod: "web-0" },
      playbooks: ["pb"],
      approvals,
    },
  });
}

const job = (name: string, extra: Partial<PlaybookStep> = {}): PlaybookStep => ({ name, job: { image: `${name}:1` }, ...extra });
const jobName = (step: string, attempt = 1): string => jobNameFor({ incident: "inc", incidentUid: "inc-uid", playbook: "pb", step, attempt });
const running = (name: string, attempt = 1, extra: Partial<StepState> = {}): StepState => ({
  name,
  phase: "Running",
  attempts: attempt,
  startedAt: earlier(60_000),
  intent: { attempt, id: jobName(name, attempt), at: earlier(10_000) },
  job: jobName(name, attempt),
  ...extra,
});

function jobEffects(result: RunPlan): EnsureJobEffect[] {
  return result.effects.filter((effect): effect is EnsureJobEffect => effect.kind === "ensureJob");
}

interface Case {
  steps: PlaybookStep[];
  extra?: Partial<Playbook["spec"]> | undefined;
  states?: StepState[] | undefined;
  observations?: Record<string, StepObservation> | undefined;
  approvals?: IncidentApproval[] | undefined;
  mayStart?: boolean | undefined;
  dryRun?: boolean | undefined;
  approvalsVerdict?: TenancyVerdict | undefined;
}

function plan(given: Case): RunPlan {
  return planFor({
    incident: incident(given.approvals),
    playbook: compiledPlaybook(given.steps, given.extra),
    states: given.states,
    dryRun: given.dryRun,
    startedAt: earlier(60_000),
    observations: given.observations,
    mayStart: given.mayStart,
    approvals: given.approvalsVerdict,
  });
}

function phases(result: RunPlan): Record<string, string> {
  return Object.fromEntries((result.run.steps ?? []).map((state) => [state.name, state.phase]));
}

/** A step whose intent is recorded but whose Job is not (yet) known. */
function intentOnly(name: string): StepState {
  const state = running(name);
  delete state.job;
  return state;
}

const succeeded = (outputs: Record<string, string> = {}): StepObservation => ({ kind: "succeeded", outputs, note: undefined, finishedAt: undefined });
const active: StepObservation = { kind: "active" };
const failed = (deadlineExceeded = false): StepObservation => ({ kind: "failed", deadlineExceeded, message: "exit code 1", finishedAt: undefined });

describe("planRun: ordering and the step graph", () => {
  it.each([
    {
      name: "sequential: only the first step starts, by recording an intent and nothing else",
      given: { steps: [job("a"), job("b")] },
      phases: { a: "Running", b: "Pending" },
      effects: 0,
      runPhase: "Running",
    },
    {
      name: "sequential: a finished step lets the next start in the same pass",
      given: { steps: [job("a"), job("b")], states: [running("a")], observations: { a: succeeded() } },
      phases: { a: "Succeeded", b: "Running" },
      effects: 0,
      runPhase: "Running",
    },
    {
      name: "dag: parallel roots start together, the join waits",
      given: { steps: [job("left"), job("right"), job("join", { needs: ["left", "right"] })] },
      phases: { left: "Running", right: "Running", join: "Pending" },
      effects: 0,
      runPhase: "Running",
    },
    {
      name: "dag: the join waits while one branch still runs",
      given: {
        steps: [job("left"), job("right"), job("join", { needs: ["left", "right"] })],
        states: [running("left"), running("right")],
        observations: { left: succeeded(), right: active },
      },
      phases: { left: "Succeeded", right: "Running", join: "Pending" },
      effects: 0,
      runPhase: "Running",
    },
    {
      name: "dag: the join starts when both branches finished",
      given: {
        steps: [job("left"), job("right"), job("join", { needs: ["left", "right"] })],
        states: [running("left"), running("right")],
        observations: { left: succeeded(), right: succeeded() },
      },
      phases: { left: "Succeeded", right: "Succeeded", join: "Running" },
      effects: 0,
      runPhase: "Running",
    },
    {
      name: "all steps finished: the run succeeds",
      given: { steps: [job("a")], states: [running("a")], observations: { a: succeeded() } },
      phases: { a: "Succeeded" },
      effects: 0,
      runPhase: "Succeeded",
    },
    {
      name: "paused: nothing new starts, running steps are still observed",
      given: { steps: [job("a"), job("b")], states: [running("a")], observations: { a: succeeded() }, mayStart: false },
      phases: { a: "Succeeded", b: "Pending" },
      effects: 0,
      runPhase: "Running",
    },
  ])("$name", ({ given, phases: expected, effects, runPhase }) => {
    const result = plan(given);
    expect(phases(result)).toEqual(expected);
    expect(result.effects).toHaveLength(effects);
    expect(result.run.phase).toBe(runPhase);
  });

  it("records the intent with the attempt, the deterministic Job name and the time", () => {
    const result = plan({ steps: [job("a")] });
    expect(stateOf(result, "a")).toMatchObject({
      phase: "Running",
      attempts: 1,
      startedAt: FIXED_NOW.toISOString(),
      intent: { attempt: 1, id: jobName("a"), at: FIXED_NOW.toISOString() },
    });
    expect(stateOf(result, "a").job).toBeUndefined();
  });
});

describe("planRun: intents and effects", () => {
  it.each([
    {
      name: "a persisted intent without a Job asks for the Job",
      state: intentOnly("a"),
      observation: { kind: "absent" } as const,
      effects: [{ kind: "ensureJob", playbook: "pb", step: "a", attempt: 1, name: jobName("a") }],
      phase: "Running",
      job: undefined,
    },
    {
      name: "a Job found for a persisted intent is adopted",
      state: intentOnly("a"),
      observation: { kind: "active" } as const,
      effects: [],
      phase: "Running",
      job: jobName("a"),
    },
    {
      name: "a Job that disappeared after it was recorded fails the attempt",
      state: running("a"),
      observation: { kind: "absent" } as const,
      effects: [],
      phase: "Failed",
      job: jobName("a"),
    },
  ])("$name", ({ state, observation, effects, phase, job: expectedJob }) => {
    const result = plan({ steps: [job("a")], states: [state], observations: { a: observation } });
    expect(jobEffects(result).map((effect) => ({ ...effect, job: undefined, name: effect.job.metadata?.name }))).toEqual(
      effects.map((effect) => ({ ...effect, job: undefined })),
    );
    expect(stateOf(result, "a").phase).toBe(phase);
    expect(stateOf(result, "a").job).toBe(expectedJob);
    if (observation.kind === "active") expect(stateOf(result, "a").message).toBe(`attempt 1: Job ${jobName("a")} adopted`);
  });

  it("renders outputs of earlier steps into the Job of a later one", () => {
    const steps: PlaybookStep[] = [
      job("scan"),
      { name: "report", job: { image: "r:1", env: [{ name: "VERDICT", value: "${{ steps.scan.outputs.verdict }}" }] } },
    ];
    const states = [{ name: "scan", phase: "Succeeded" as const, outputs: { verdict: "malicious" } }, intentOnly("report")];
    const result = plan({ steps, states, observations: { report: { kind: "absent" } } });
    expect(jobEffects(result)[0]?.job.spec?.template.spec?.containers[0]?.env).toEqual([{ name: "VERDICT", value: "malicious" }]);
  });

  it("fails a step whose templates cannot render, naming the field", () => {
    const steps: PlaybookStep[] = [{ name: "a", job: { image: "x", args: ["${{ steps.ghost.outputs.x }}"] } }];
    const result = plan({ steps });
    expect(stateOf(result, "a").phase).toBe("Failed");
    expect(stateOf(result, "a").message).toContain("spec.steps[0].job.args[0]");
    expect(result.run.phase).toBe("Failed");
  });
});

describe("planRun: outcomes, retries, timeouts", () => {
  it.each([
    {
      name: "success records outputs",
      steps: [job("a")],
      observation: succeeded({ verdict: "clean" }),
      expected: { phase: "Succeeded", outputs: { verdict: "clean" } },
      runPhase: "Succeeded",
      recheck: undefined,
    },
    {
      name: "failure with retries left waits for the backoff",
      steps: [job("a", { retries: { limit: 2, backoff: "10s" } })],
      observation: failed(),
      expected: { phase: "Waiting", finishedAt: FIXED_NOW.toISOString() },
      runPhase: "Running",
      recheck: 10_000,
    },
    {
      name: "failure without retries fails the step and the run",
      steps: [job("a")],
      observation: failed(),
      expected: { phase: "Failed" },
      runPhase: "Failed",
      recheck: undefined,
    },
    {
      name: "a deadline exceeded times the attempt out",
      steps: [job("a", { timeout: "1m" })],
      observation: failed(true),
      expected: { phase: "TimedOut" },
      runPhase: "Failed",
      recheck: undefined,
    },
    {
      name: "continueOnError keeps the run going",
      steps: [job("a", { continueOnError: true })],
      observation: failed(),
      expected: { phase: "Failed" },
      runPhase: "Succeeded",
      recheck: undefined,
    },
    {
      name: "an active Job inside its timeout is rechecked at the engine's deadline",
      steps: [job("a", { timeout: "1m" })],
      observation: { kind: "active" } as const,
      expected: { phase: "Running" },
      runPhase: "Running",
      recheck: 60_000 + JOB_TIMEOUT_GRACE_MS - 10_000,
    },
  ])("$name", ({ steps, observation, expected, runPhase, recheck }) => {
    const result = plan({ steps, states: [running("a")], observations: { a: observation } });
    expect(stateOf(result, "a")).toMatchObject(expected);
    expect(result.run.phase).toBe(runPhase);
    expect(result.recheckAfterMs).toBe(recheck);
  });

  it("times an attempt out itself when the Job outlives the timeout and the grace", () => {
    const state = running("a", 1, { intent: { attempt: 1, id: jobName("a"), at: earlier(60_000 + JOB_TIMEOUT_GRACE_MS) } });
    const result = plan({ steps: [job("a", { timeout: "1m" })], states: [state], observations: { a: { kind: "active" } } });
    expect(stateOf(result, "a").phase).toBe("TimedOut");
    expect(stateOf(result, "a").message).toContain("exceeded its timeout of 1m");
  });

  it.each([
    { name: "before the backoff ends it keeps waiting", endedAgoMs: 5_000, attempts: 1, phase: "Waiting", recheck: 5_000 },
    { name: "after the backoff the next attempt starts with a new Job name", endedAgoMs: 10_000, attempts: 1, phase: "Running", recheck: undefined },
    { name: "the backoff doubles for the second retry", endedAgoMs: 15_000, attempts: 2, phase: "Waiting", recheck: 5_000 },
  ])("retry: $name", ({ endedAgoMs, attempts, phase, recheck }) => {
    const waiting: StepState = { ...running("a", attempts), phase: "Waiting", finishedAt: earlier(endedAgoMs) };
    const result = plan({ steps: [job("a", { retries: { limit: 3, backoff: "10s" } })], states: [waiting] });
    const state = stateOf(result, "a");
    expect(state.phase).toBe(phase);
    expect(result.recheckAfterMs).toBe(recheck);
    if (phase === "Running") {
      expect(state.intent).toEqual({ attempt: attempts + 1, id: jobName("a", attempts + 1), at: FIXED_NOW.toISOString() });
      expect(state.job).toBeUndefined();
      expect(state.attempts).toBe(attempts + 1);
    }
  });

  it("after the last retry the step fails and the remaining steps are skipped", () => {
    const result = plan({
      steps: [job("a", { retries: { limit: 1 } }), job("b")],
      states: [running("a", 2)],
      observations: { a: failed() },
    });
    expect(phases(result)).toEqual({ a: "Failed", b: "Skipped" });
    expect(stateOf(result, "b").message).toBe("not run: step a failed");
    expect(result.run.phase).toBe("Failed");
    expect(result.events.map((event) => event.reason)).toEqual(["StepFailed", "StepSkipped", "RunFailed"]);
  });

  it("a failing run waits for its running steps before it ends", () => {
    const result = plan({
      steps: [job("left"), job("right"), job("join", { needs: ["left", "right"] })],
      states: [running("left"), running("right")],
      observations: { left: failed(), right: active },
    });
    expect(phases(result)).toEqual({ left: "Failed", right: "Running", join: "Pending" });
    expect(result.run.phase).toBe("Running");
  });
});

describe("planRun: when", () => {
  it.each([
    { name: "true runs the step", when: "incident.severity == 'high'", phase: "Running", message: undefined },
    { name: "false skips the step", when: "incident.severity == 'low'", phase: "Skipped", message: "when evaluated to false" },
    { name: "an evaluation error skips the step", when: "event.data.missing == 'x'", phase: "Skipped", message: "when could not be evaluated" },
    { name: "steps are visible", when: "steps.a.phase == 'Skipped'", phase: "Running", message: undefined },
  ])("$name", ({ when, phase, message }) => {
    const result = plan({ steps: [job("a", { when: "false" }), job("b", { when })] });
    expect(stateOf(result, "a").phase).toBe("Skipped");
    expect(stateOf(result, "b").phase).toBe(phase);
    if (message !== undefined) expect(stateOf(result, "b").message).toContain(message);
  });
});

describe("planRun: approvals", () => {
  const gate: PlaybookStep = { name: "gate", approval: { message: "delete ${{ incident.resources.pod }}?", timeout: "10m" } };
  const waiting: StepState = { name: "gate", phase: "Waiting", attempts: 1, startedAt: earlier(60_000), message: "waiting" };
  const decision = (value: "approve" | "reject"): IncidentApproval => ({ playbook: "pb", step: "gate", decision: value, by: "alice", at: earlier(1_000), reason: "checked" });

  it.each([
    {
      name: "a new approval waits, renders its question and rechecks at the timeout",
      states: [],
      approvals: [],
      phases: { gate: "Waiting", act: "Pending" },
      runPhase: "AwaitingApproval",
      recheck: 600_000,
      message: "waiting for approval: delete web-0?",
    },
    {
      name: "approval lets the next step start",
      states: [waiting],
      approvals: [decision("approve")],
      phases: { gate: "Succeeded", act: "Running" },
      runPhase: "Running",
      recheck: undefined,
      message: "approved by alice: checked",
    },
    {
      name: "rejection fails the step and the run",
      states: [waiting],
      approvals: [decision("reject")],
      phases: { gate: "Failed", act: "Skipped" },
      runPhase: "Failed",
      recheck: undefined,
      message: "rejected by alice: checked",
    },
    {
      name: "a decision made before the step started counts at once",
      states: [],
      approvals: [decision("approve")],
      phases: { gate: "Succeeded", act: "Running" },
      runPhase: "Running",
      recheck: undefined,
      message: "approved by alice: checked",
    },
    {
      name: "the timeout rejects by default",
      states: [{ ...waiting, startedAt: earlier(600_000) }],
      approvals: [],
      phases: { gate: "Failed", act: "Skipped" },
      runPhase: "Failed",
      recheck: undefined,
      message: "rejected on timeout",
    },
  ])("$name", ({ states, approvals, phases: expected, runPhase, recheck, message }) => {
    const result = plan({ steps: [gate, job("act")], states, approvals });
    expect(phases(result)).toEqual(expected);
    expect(result.run.phase).toBe(runPhase);
    expect(result.recheckAfterMs).toBe(recheck);
    expect(stateOf(result, "gate").message).toBe(message);
  });

  it("records the decision on the step", () => {
    const result = plan({ steps: [gate], states: [waiting], approvals: [decision("approve")] });
    expect(stateOf(result, "gate").decision).toEqual({ decision: "approve", by: "alice", at: earlier(1_000) });
  });

  it("does not honour approvals the tenancy policy did not vouch for: the step keeps waiting and says why, once", () => {
    const why = "approvals are not honoured: the admission policy binding kube-soar-incident-approvals is missing";
    const approvalsVerdict: TenancyVerdict = { verified: false, reason: "TenancyUnverified", field: "spec.approvals", message: why };
    const first = plan({ steps: [gate, job("act")], states: [waiting], approvals: [decision("approve")], approvalsVerdict });
    expect(phases(first)).toEqual({ gate: "Waiting", act: "Pending" });
    expect(stateOf(first, "gate").decision).toBeUndefined();
    expect(stateOf(first, "gate").message).toBe(`waiting for approval: a recorded decision is not honoured: ${why}`);
    expect(first.events.map((event) => `${event.type} ${event.reason}`)).toContain("Warning TenancyUnverified");
    const again = plan({ steps: [gate, job("act")], states: [stateOf(first, "gate")], approvals: [decision("approve")], approvalsVerdict });
    expect(again.events.map((event) => event.reason)).not.toContain("TenancyUnverified");
    const none = plan({ steps: [gate, job("act")], states: [waiting], approvals: [], approvalsVerdict });
    expect(stateOf(none, "gate").message).toBe("waiting");
    const timedOut = plan({ steps: [gate, job("act")], states: [{ ...waiting, startedAt: earlier(600_000) }], approvals: [decision("approve")], approvalsVerdict });
    expect(stateOf(timedOut, "gate").message).toBe("rejected on timeout");
  });

  it("the timeout approves when onTimeout says so", () => {
    const approving: PlaybookStep = { name: "gate", approval: { timeout: "1m", onTimeout: "approve" } };
    const result = plan({ steps: [approving], states: [{ ...waiting, startedAt: earlier(60_000) }] });
    expect(stateOf(result, "gate")).toMatchObject({ phase: "Succeeded", decision: { decision: "approve", timedOut: true } });
    expect(result.events.map((event) => event.reason)).toEqual(["ApprovalTimedOut", "RunsSucceeded"]);
  });
});

describe("planRun: dry run", () => {
  it("plans and renders every step, records the Job parameters, and asks for nothing", () => {
    const result = plan({
      dryRun: true,
      steps: [
        { name: "scan", job: { image: "scanner:1", args: ["--pod", "${{ incident.resources.pod }}"] } },
        { name: "gate", approval: { message: "isolate ${{ incident.resources.pod }}?" } },
      ],
    });
    expect(result.effects).toEqual([]);
    expect(phases(result)).toEqual({ scan: "Succeeded", gate: "Succeeded" });
    expect(result.run.phase).toBe("Succeeded");
    const scan = stateOf(result, "scan");
    expect(scan.intent).toBeUndefined();
    expect(scan.job).toBeUndefined();
    expect(scan.outputs).toMatchObject({ dryRun: "true", image: "scanner:1", args: '["--pod","web-0"]', jobName: jobName("scan") });
    expect(stateOf(result, "gate").outputs).toEqual({ dryRun: "true", "approval.message": "isolate web-0?" });
    expect(result.events.map((event) => event.reason)).toEqual(["DryRunRendered", "DryRunRendered", "RunsSucceeded"]);
  });
});
