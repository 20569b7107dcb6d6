import type { Registry } from "prom-client";
import { counterOn } from "../runtime/metric-registration.ts";
import { GUARD_NAMES, type GuardDecision } from "./guard-input.ts";
import { RUN_LIMIT_NAMES, type RunStartDecision } from "./run-start-limits.ts";

/** Counts refusals by guard (step guards and run-start limits), on the registry passed in. */
export interface GuardMetrics {
  /** Counts `decision` when it is a refusal; allowed decisions are not counted. */
  record(decision: GuardDecision | RunStartDecision): void;
}

/**
 * Registers (or reuses) `soar_guard_refusals_total{guard}` on `registry`: the step guards'
 * refusals and the runs not started for a Playbook's `rateLimit` or `maxActiveIncidents`. Every
 * label's series starts at zero, so rates work from the first refusal.
 */
export function createGuardMetrics(registry: Registry): GuardMetrics {
  const refusals = counterOn(registry, {
    name: "soar_guard_refusals_total",
    help: "Refusals by guard: steps refused before their side effect, and runs not started for a Playbook's rateLimit or maxActiveIncidents.",
    labelNames: ["guard"],
  });
  for (const guard of [...GUARD_NAMES, ...RUN_LIMIT_NAMES]) refusals.inc({ guard }, 0);
  return {
    record(decision) {
      if (!decision.allowed) refusals.inc({ guard: decision.guard });
    },
  };
}
