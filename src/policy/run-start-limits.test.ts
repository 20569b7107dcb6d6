import { describe, expect, it } from "vitest";
import { decideRunStart, runLimitsOf, type RunHistory, type RunLimits, type RunStartDecision } from "./run-start-limits.ts";

const now = new Date("2026-11-23T12:00:00Z");
const ago = (ms: number): Date => new Date(now.getTime() - ms);
const history = (otherRunStarts: Date[], otherActiveIncidents = 0): RunHistory => ({ otherRunStarts, otherActiveIncidents });
const perMinute = (runs: number): RunLimits => ({ rateLimit: { runs, windowMs: 60_000 } });

function decide(limits: RunLimits, given: RunHistory): RunStartDecision {
  return decideRunStart({ playbook: "miner", limits, history: () => given, now });
}

describe("decideRunStart allows", () => {
  it.each<[string, RunLimits, RunHistory]>([
    ["a Playbook without limits, whatever it did", {}, history([ago(0), ago(1)], 100)],
    ["runs under the rate limit (old runs outside the window do not count)", perMinute(2), history([ago(30_000), ago(61_000), ago(3_600_000)])],
    ["a run whose window edge has just passed (a start exactly one window ago does not count)", perMinute(1), history([ago(60_000)])],
    ["starts later than now (another clock) do not count", perMinute(1), history([new Date(now.getTime() + 1)])],
    ["active Incidents under the cap", { maxActiveIncidents: 3 }, history([], 2)],
    ["many recent runs when only the cap is set", { maxActiveIncidents: 3 }, history([ago(0), ago(0), ago(0)], 0)],
    ["many active Incidents when only the rate limit is set", perMinute(5), history([], 50)],
  ])("%s", (_, limits, given) => {
    expect(decide(limits, given)).toEqual({ allowed: true });
  });

  it("does not read the history of a Playbook without limits", () => {
    const decision = decideRunStart({ playbook: "miner", limits: {}, history: () => { throw new Error("read"); }, now });
    expect(decision).toEqual({ allowed: true });
  });
});

describe("decideRunStart refuses", () => {
  it.each<[string, RunLimits, RunHistory, Omit<Extract<RunStartDecision, { allowed: false }>, "allowed">]>([
    [
      "a run at the rate limit (a run at this very instant counts)",
      perMinute(2),
      history([ago(59_000), ago(0)]),
      { guard: "rateLimit", reason: "RateLimited", message: "Playbook miner already started 2 runs in the last 1m (rateLimit: 2 per 1m); the run was not started" },
    ],
    [
      "a run whose window edge has not passed (a start 1ms inside the window counts)",
      { rateLimit: { runs: 1, windowMs: 3_600_000 } },
      history([ago(3_599_999)]),
      { guard: "rateLimit", reason: "RateLimited", message: "Playbook miner already started 1 run in the last 1h (rateLimit: 1 per 1h); the run was not started" },
    ],
    [
      "a run at the active-incident cap",
      { maxActiveIncidents: 2 },
      history([], 2),
      {
        guard: "maxActiveIncidents",
        reason: "TooManyActiveIncidents",
        message: "Playbook miner already has 2 other Incidents with a run in progress (maxActiveIncidents 2); the run was not started",
      },
    ],
    [
      "a run over both limits: the rate limit is reported",
      { ...perMinute(1), maxActiveIncidents: 1 },
      history([ago(1_000)], 1),
      { guard: "rateLimit", reason: "RateLimited", message: "Playbook miner already started 1 run in the last 1m (rateLimit: 1 per 1m); the run was not started" },
    ],
  ])("%s", (_, limits, given, refusal) => {
    expect(decide(limits, given)).toEqual({ allowed: false, ...refusal });
  });
});

describe("runLimitsOf", () => {
  it("reads the rate limit's window and the cap from a Playbook spec", () => {
    expect(runLimitsOf({ rateLimit: { runs: 3, window: "1h30m" }, maxActiveIncidents: 4 })).toEqual({ rateLimit: { runs: 3, windowMs: 5_400_000 }, maxActiveIncidents: 4 });
    expect(runLimitsOf({})).toEqual({});
  });

  it("sets no rate limit for a malformed window", () => {
    expect(runLimitsOf({ rateLimit: { runs: 3, window: "soon" } })).toEqual({});
  });
});
