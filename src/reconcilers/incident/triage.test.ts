import { describe, expect, it } from "vitest";
import type { Incident, Playbook, PlaybookRun, PlaybookSpec } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { PlaybookCompiler } from "../../playbook/index.ts";
import type { RunHistory } from "../../policy/index.ts";
import { triage } from "./triage.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";

const now = FIXED_NOW;
const compiler = new PlaybookCompiler(createExpressionCompiler());

interface PlaybookShape {
  generation?: number;
  ready?: "True" | "False" | "unprocessed";
  suspend?: boolean;
  dryRun?: boolean;
  createdAt?: string;
  when?: string;
  limits?: Pick<PlaybookSpec, "rateLimit" | "maxActiveIncidents">;
}

const noHistory = (): RunHistory => ({ otherRunStarts: [], otherActiveIncidents: 0 });

function playbook(name: string, shape: PlaybookShape = {}): Playbook {
  const generation = shape.generation ?? 1;
  const ready = shape.ready ?? "True";
  return {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: { name, namespace: "ns", uid: `${name}-uid`, generation, creationTimestamp: new Date(shape.createdAt ?? "2026-01-01T00:00:00Z") },
    spec: {
      trigger: { types: ["t"] },
      ...(shape.suspend === undefined ? {} : { suspend: shape.suspend }),
      ...(shape.dryRun === undefined ? {} : { dryRun: shape.dryRun }),
      ...shape.limits,
      steps: [
        { name: "a", job: { image: "x" }, ...(shape.when === undefined ? {} : { when: shape.when }) },
        { name: "b", approval: {} },
      ],
    },
    ...(ready === "unprocessed"
      ? {}
      : {
          status: {
            observedGeneration: generation,
            conditions: [{ type: "Ready", status: ready, reason: ready === "True" ? "Succeeded" : "InvalidExpression", message: "m", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: generation }],
          },
        }),
  };
}

function incident(playbooks: string[], runs: PlaybookRun[] = []): Incident {
  return anIncident({ spec: { playbooks }, status: { playbooks: runs } });
}

const runningRun: PlaybookRun = {
  name: "pb",
  generation: 1,
  phase: "Running",
  startedAt: "2026-02-01T00:00:00Z",
  steps: [
    { name: "a", phase: "Running", job: "j1", intent: { attempt: 1, id: "j1" } },
    { name: "b", phase: "Pending" },
  ],
};

describe("triage", () => {
  it.each([
    {
      name: "a Ready Playbook starts a run pinned to its generation",
      playbooks: { pb: playbook("pb", { generation: 3 }) },
      runs: [],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Running", generation: 3, startedAt: now.toISOString(), steps: [{ name: "a", phase: "Pending" }, { name: "b", phase: "Pending" }] },
      active: 1,
      waits: [],
      events: ["RunStarted"],
    },
    {
      name: "the Playbook's dryRun makes a dry run",
      playbooks: { pb: playbook("pb", { dryRun: true }) },
      runs: [],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Running", dryRun: true },
      active: 1,
      waits: [],
      events: ["RunStarted"],
    },
    {
      name: "the operator's dryRun makes a dry run",
      playbooks: { pb: playbook("pb") },
      runs: [],
      operatorDryRun: true,
      expected: { phase: "Running", dryRun: true },
      active: 1,
      waits: [],
      events: ["RunStarted"],
    },
    {
      name: "a missing Playbook fails the run",
      playbooks: {},
      runs: [],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Failed", message: "Playbook pb does not exist in namespace ns" },
      active: 0,
      waits: [],
      events: ["PlaybookNotFound"],
    },
    {
      name: "a suspended Playbook skips the run",
      playbooks: { pb: playbook("pb", { suspend: true }) },
      runs: [],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Skipped", message: "Playbook pb is suspended; the run was not started" },
      active: 0,
      waits: [],
      events: ["Suspended"],
    },
    {
      name: "an unprocessed Playbook is waited for, not stalled",
      playbooks: { pb: playbook("pb", { ready: "unprocessed" }) },
      runs: [],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Pending", message: "Playbook pb generation 1 is not processed yet" },
      active: 0,
      waits: [{ playbook: "pb", stalled: false }],
      events: [],
    },
    {
      name: "an invalid Playbook stalls the run",
      playbooks: { pb: playbook("pb", { ready: "False" }) },
      runs: [],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Pending", message: "Playbook pb is not Ready (InvalidExpression): m" },
      active: 0,
      waits: [{ playbook: "pb", stalled: true }],
      events: [],
    },
    {
      name: "a run in progress goes on with its pinned generation",
      playbooks: { pb: playbook("pb") },
      runs: [runningRun],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: runningRun,
      active: 1,
      waits: [],
      events: [],
    },
    {
      name: "a run whose Playbook changed generation fails, leaving its Job",
      playbooks: { pb: playbook("pb", { generation: 2 }) },
      runs: [runningRun],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: {
        phase: "Failed",
        message: "Playbook pb changed from generation 1 to 2 during the run",
        steps: [
          { name: "a", phase: "Failed", message: "run stopped: Playbook pb changed from generation 1 to 2 during the run; Job j1 was left to finish on its own" },
          { name: "b", phase: "Skipped", message: "not run: Playbook pb changed from generation 1 to 2 during the run" },
        ],
      },
      active: 0,
      waits: [],
      events: ["PlaybookChanged"],
    },
    {
      name: "a run whose Playbook was recreated fails",
      playbooks: { pb: playbook("pb", { createdAt: "2026-02-02T00:00:00Z" }) },
      runs: [runningRun],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Failed", message: "Playbook pb was recreated during the run" },
      active: 0,
      waits: [],
      events: ["PlaybookChanged"],
    },
    {
      name: "a run whose Playbook was deleted fails",
      playbooks: {},
      runs: [runningRun],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { phase: "Failed", message: "Playbook pb was deleted during the run" },
      active: 0,
      waits: [],
      events: ["PlaybookNotFound"],
    },
    {
      name: "a finished run is kept, whatever its Playbook became",
      playbooks: { pb: playbook("pb", { generation: 9 }) },
      runs: [{ name: "pb", phase: "Succeeded" as const, generation: 1 }],
      operatorDryRun: false,
      criticalReservePercent: 0,
      expected: { name: "pb", phase: "Succeeded", generation: 1 },
      active: 0,
      waits: [],
      events: [],
    },
  ])("$name", ({ playbooks, runs, operatorDryRun, expected, active, waits, events }) => {
    const lookup = (_namespace: string, name: string): Playbook | undefined => (playbooks as Record<string, Playbook | undefined>)[name];
    const result = triage({ incident: incident(["pb"], runs), now, playbooks: lookup, compiler, operatorDryRun, criticalReservePercent: 0, history: noHistory });
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]).toMatchObject(expected);
    expect(result.active).toHaveLength(active);
    expect(result.waits).toMatchObject(waits);
    expect(result.events.map((event) => event.reason)).toEqual(events);
  });

  it("keeps runs of Playbooks no longer listed and starts each listed Playbook once", () => {
    const orphan: PlaybookRun = { name: "old", phase: "Succeeded" };
    const result = triage({
      incident: incident(["pb", "pb"], [orphan]),
      now,
      playbooks: (_namespace, name) => (name === "pb" ? playbook("pb") : undefined),
      compiler,
      operatorDryRun: false,
      criticalReservePercent: 0,
      history: noHistory,
    });
    expect(result.runs.map((run) => [run.name, run.phase])).toEqual([
      ["pb", "Running"],
      ["old", "Succeeded"],
    ]);
  });

  describe("a Playbook's rateLimit and maxActiveIncidents, decided once when the run would start", () => {
    const recent: RunHistory = { otherRunStarts: [new Date(now.getTime() - 60_000)], otherActiveIncidents: 2 };
    const rateLimited = "Playbook pb already started 1 run in the last 1h (rateLimit: 1 per 1h); the run was not started";
    const capped = "Playbook pb already has 2 other Incidents with a run in progress (maxActiveIncidents 2); the run was not started";

    it.each([
      {
        name: "a run over the rate limit is skipped, not started",
        shape: { limits: { rateLimit: { runs: 1, window: "1h" } } },
        runs: [],
        expected: { phase: "Skipped", finishedAt: now.toISOString(), message: rateLimited },
        events: [{ type: "Warning", reason: "RateLimited", message: rateLimited }],
        refusals: ["rateLimit"],
        reads: 1,
      },
      {
        name: "a run at the active-incident cap is skipped, not started",
        shape: { limits: { maxActiveIncidents: 2 } },
        runs: [],
        expected: { phase: "Skipped", message: capped },
        events: [{ type: "Warning", reason: "TooManyActiveIncidents", message: capped }],
        refusals: ["maxActiveIncidents"],
        reads: 1,
      },
      {
        name: "a dry run is limited like any other",
        shape: { dryRun: true, limits: { rateLimit: { runs: 1, window: "1h" } } },
        runs: [],
        expected: { phase: "Skipped", message: rateLimited },
        events: [{ type: "Warning", reason: "RateLimited", message: rateLimited }],
        refusals: ["rateLimit"],
        reads: 1,
      },
      {
        name: "a Pending run whose Playbook became Ready is limited when it would start",
        shape: { limits: { maxActiveIncidents: 2 } },
        runs: [{ name: "pb", phase: "Pending" as const, message: "Playbook pb generation 1 is not processed yet" }],
        expected: { phase: "Skipped", message: capped },
        events: [{ type: "Warning", reason: "TooManyActiveIncidents", message: capped }],
        refusals: ["maxActiveIncidents"],
        reads: 1,
      },
      {
        name: "a run under its limits starts",
        shape: { limits: { rateLimit: { runs: 2, window: "1h" }, maxActiveIncidents: 3 } },
        runs: [],
        expected: { phase: "Running", startedAt: now.toISOString() },
        events: [{ type: "Normal", reason: "RunStarted", message: "run pinned to generation 1" }],
        refusals: [],
        reads: 1,
      },
      {
        name: "a Playbook without limits starts its run without reading the namespace's Incidents",
        shape: {},
        runs: [],
        expected: { phase: "Running" },
        events: [{ type: "Normal", reason: "RunStarted", message: "run pinned to generation 1" }],
        refusals: [],
        reads: 0,
      },
      {
        name: "a run in progress is not checked again",
        shape: { limits: { rateLimit: { runs: 1, window: "1h" }, maxActiveIncidents: 1 } },
        runs: [runningRun],
        expected: runningRun,
        events: [],
        refusals: [],
        reads: 0,
      },
    ])("$name", ({ shape, runs, expected, events, refusals, reads }) => {
      const asked: string[] = [];
      const result = triage({
        incident: incident(["pb"], runs),
        now,
        playbooks: () => playbook("pb", shape),
        // A compiler of its own: the shared one caches by uid and generation, across shapes.
        compiler: new PlaybookCompiler(createExpressionCompiler()),
        operatorDryRun: false,
        criticalReservePercent: 0,
        history: (name) => {
          asked.push(name);
          return recent;
        },
      });
      expect(result.runs).toHaveLength(1);
      expect(result.runs[0]).toMatchObject(expected);
      expect(result.runs[0]?.steps).toEqual(expected.phase === "Skipped" ? undefined : expect.anything());
      expect(result.active).toHaveLength(expected.phase === "Skipped" ? 0 : 1);
      expect(result.events).toEqual(events.map((event) => ({ ...event, playbook: "pb" })));
      expect(result.refusals.map((refusal) => refusal.guard)).toEqual(refusals);
      expect(asked).toEqual(Array.from({ length: reads }, () => "pb"));
    });
  });
});
