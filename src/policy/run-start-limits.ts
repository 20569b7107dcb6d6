import { formatDuration, parseDuration } from "../api/duration.ts";
import { Reason } from "../api/v1alpha1/reasons.ts";
import type { PlaybookSpec, Severity } from "../api/v1alpha1/types.generated.ts";

/** The Playbook limits checked once, before a run starts (not before each step). */
export const RUN_LIMIT_NAMES = ["rateLimit", "maxActiveIncidents"] as const;

/** The name of one run-start limit; also its label in `soar_guard_refusals_total`. */
export type RunLimitName = (typeof RUN_LIMIT_NAMES)[number];

/** A Playbook's limits on starting runs. */
export interface RunLimits {
  /** At most `runs` runs may start within `windowMs`. */
  readonly rateLimit?: { readonly runs: number; readonly windowMs: number };
  /** At most this many other Incidents may be active for the Playbook when a run starts. */
  readonly maxActiveIncidents?: number;
}

/** What the Playbook has been doing in the *other* Incidents of its namespace. */
export interface RunHistory {
  /** When its runs there started (dry runs too; a run refused at start never started). */
  readonly otherRunStarts: readonly Date[];
  /** How many of them are active for it (`isActiveFor` in `api/v1alpha1/lifecycle.ts`). */
  readonly otherActiveIncidents: number;
}

/** Whether a run may start, or which limit refuses it, with a reason and a message. */
export type RunStartDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The limit that refused, named as in the guard refusal metric. */
      readonly guard: RunLimitName;
      /** `RateLimited` or `TooManyActiveIncidents`: a condition, Event and timeline reason. */
      readonly reason: string;
      readonly message: string;
    };

/** What the decision reads. */
export interface RunStartInput {
  readonly playbook: string;
  readonly limits: RunLimits;
  /** The severity of the Incident about to start its run. */
  readonly severity: Severity;
  /** The share of `maxActiveIncidents` (percent, 0 to 100) only critical Incidents may use. */
  readonly criticalReservePercent: number;
  /** Read only when the Playbook has a limit: it scans the namespace's Incidents. */
  readonly history: () => RunHistory;
  readonly now: Date;
}

/** The limits of a Playbook spec; a malformed window (refused by the schema) sets none. */
export function runLimitsOf(spec: Pick<PlaybookSpec, "rateLimit" | "maxActiveIncidents">): RunLimits {
  const windowMs = spec.rateLimit === undefined ? undefined : parseDuration(spec.rateLimit.window);
  return {
    ...(spec.rateLimit === undefined || windowMs === undefined ? {} : { rateLimit: { runs: spec.rateLimit.runs, windowMs } }),
    ...(spec.maxActiveIncidents === undefined ? {} : { maxActiveIncidents: spec.maxActiveIncidents }),
  };
}

/**
 * The number of a Playbook's `maxActiveIncidents` slots kept for critical Incidents: `percent`
 * of the cap, rounded down (so a cap of 1 keeps none unless the percent is 100).
 */
export function criticalReserve(maxActiveIncidents: number, percent: number): number {
  return Math.floor((maxActiveIncidents * Math.min(100, Math.max(0, percent))) / 100);
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Decides whether a run of Playbook `playbook` may start at `now`. The rate limit refuses when
 * the other runs that started within the window (after `now - windowMs`, up to `now`
 * inclusive) already number `runs`; the active-incident cap refuses a critical Incident when
 * `maxActiveIncidents` other Incidents are already active for the Playbook, and any other
 * Incident already when `maxActiveIncidents - criticalReserve(...)` are: alerts below critical
 * (forged ones among them) can never take the last slots from a critical one. The rate limit
 * is checked first. The
 * Incident about to start its run is never among the counted ones (the caller leaves it out).
 * Pure: the same input always yields the same decision.
 */
export function decideRunStart(input: RunStartInput): RunStartDecision {
  const { rateLimit, maxActiveIncidents } = input.limits;
  if (rateLimit === undefined && maxActiveIncidents === undefined) return { allowed: true };
  const history = input.history();
  if (rateLimit !== undefined) {
    const from = input.now.getTime() - rateLimit.windowMs;
    const to = input.now.getTime();
    const recent = history.otherRunStarts.filter((start) => start.getTime() > from && start.getTime() <= to).length;
    if (recent >= rateLimit.runs) {
      const window = formatDuration(rateLimit.windowMs);
      return {
        allowed: false,
        guard: "rateLimit",
        reason: Reason.RateLimited,
        message: `Playbook ${input.playbook} already started ${counted(recent, "run")} in the last ${window} (rateLimit: ${rateLimit.runs} per ${window}); the run was not started`,
      };
    }
  }
  if (maxActiveIncidents !== undefined) {
    const reserve = input.severity === "critical" ? 0 : criticalReserve(maxActiveIncidents, input.criticalReservePercent);
    if (history.otherActiveIncidents >= maxActiveIncidents - reserve) {
      const reserved = reserve === 0 ? "" : `, of which the last ${String(reserve)} are kept for critical Incidents and this one is ${input.severity}`;
      return {
        allowed: false,
        guard: "maxActiveIncidents",
        reason: Reason.TooManyActiveIncidents,
        message: `Playbook ${input.playbook} already has ${counted(history.otherActiveIncidents, "other Incident")} with a run in progress (maxActiveIncidents ${maxActiveIncidents}${reserved}); the run was not started`,
      };
    }
  }
  return { allowed: true };
}
