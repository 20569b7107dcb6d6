import { describe, expect, it } from "vitest";
import { criticalReserve, decideRunStart, runLimitsOf, type RunHistory, type RunLimits, type RunStartDecision } from "./run-start-limits.ts";

const now = new Date("2026-11-23T12:00:00Z");
const ago = (ms: number): Date => new Date(now.getTime() - ms);
const history = (otherRunStarts: Date[], otherActiveIncidents = 0): RunHistory => ({ otherRunStarts, otherActiveIncidents });
const perMinute = (runs: number): RunLimits => ({ rateLimit: { runs, windowMs: 60_000 } });

function decide(limits: RunLimits, given: RunHistory): RunStartDecision {
  return decideRunStart({ playbook: "miner", limits, severity: "high", criticalReservePercent: 0, history: () => given, now });
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
    const decision = decideRunStart({ playbook: "miner", limits: {}, severity: "high", criticalReservePercent: 0, history: () => { throw new Error("read"); }, now });
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

describe("the critical reserve of maxActiveIncidents", () => {
  const decideFor = (severity: "critical" | "high" | "low", active: number, percent = 20): RunStartDecision =>
    decideRunStart({ playbook: "miner", limits: { maxActiveIncidents: 10 }, severity, criticalReservePercent: percent, history: () => history([], active), now });

  it("keeps the given percent of the cap, rounded down, for critical Incidents", () => {
    expect(criticalReserve(10, 20)).toBe(2);
    expect(criticalReserve(4, 20)).toBe(0);
    expect(criticalReserve(1, 99)).toBe(0);
    expect(criticalReserve(1, 100)).toBe(1);
    expect(criticalReserve(10, 0)).toBe(0);
  });

  it("refuses an Incident below critical once the unreserved slots are taken, and says so", () => {
    expect(decideFor("high", 7)).toEqual({ allowed: true });
    expect(decideFor("low", 8)).toEqual({
      allowed: false,
      guard: "maxActiveIncidents",
      reason: "TooManyActiveIncidents",
      message: "Playbook miner already has 8 other Incidents with a run in progress (maxActiveIncidents 10, of which the last 2 are kept for critical Incidents and this one is low); the run was not started",
    });
  });

  it("lets a critical Incident use the reserve, up to the cap itself", () => {
    expect(decideFor("critical", 9)).toEqual({ allowed: true });
    expect(decideFor("critical", 10)).toMatchObject({ allowed: false, guard: "maxActiveIncidents" });
  });

  it("changes nothing with a reserve of 0", () => {
    expect(decideFor("low", 9, 0)).toEqual({ allowed: true });
  });
});
