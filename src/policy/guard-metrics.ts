import type { Registry } from "prom-client";
import { counterOn } from "../runtime/metric-registration.ts";
import { GUARD_NAMES, type GuardDecision } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";
import { RUN_LIMIT_NAMES, type RunStartDecision } from "./run-start-limits.ts";

/**
 * Refusals an action decides itself, on the object it reads (a protected Node), by the reason
 * its failed step carries, with the guard label they are counted under.
 */
const ACTION_REFUSALS: Readonly<Record<string, string>> = { [GuardReason.ProtectedNode]: "protectedNode" };

/** Counts refusals by guard (step guards, run-start limits and actions' own refusals), on the registry passed in. */
export interface GuardMetrics {
  /** Counts `decision` when it is a refusal; allowed decisions are not counted. */
  record(decision: GuardDecision | RunStartDecision): void;
  /** Counts a step that failed with `reason` when that is an action's own refusal (`ProtectedNode`); other reasons are ignored. */
  recordStepFailure(reason: string): void;
}

/**
 * Registers (or reuses) `soar_guard_refusals_total{guard}` on `registry`: the step guards'
 * refusals, the runs not started for a Playbook's `rateLimit` or `maxActiveIncidents`, and the
 * actions refused on a protected Node. Every label's series starts at zero, so rates work from
 * the first refusal.
 */
export function createGuardMetrics(registry: Registry): GuardMetrics {
  const refusals = counterOn(registry, {
    name: "soar_guard_refusals_total",
    help: "Refusals by guard: steps refused before their side effect or, for protected nodes, by the action on the Node it read; and runs not started for a Playbook's rateLimit or maxActiveIncidents.",
    labelNames: ["guard"],
  });
  for (const guard of [...GUARD_NAMES, ...RUN_LIMIT_NAMES, ...Object.values(ACTION_REFUSALS)]) refusals.inc({ guard }, 0);
  return {
    record(decision) {
      if (!decision.allowed) refusals.inc({ guard: decision.guard });
    },
    recordStepFailure(reason) {
      const guard = Object.hasOwn(ACTION_REFUSALS, reason) ? ACTION_REFUSALS[reason] : undefined;
      if (guard !== undefined) refusals.inc({ guard });
    },
  };
}
