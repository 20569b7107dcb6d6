import type { Registry } from "prom-client";
import { counterOn } from "../runtime/metric-registration.ts";
import { GUARD_NAMES, type GuardDecision } from "./guard-input.ts";

/** Counts guard refusals by guard, on the registry passed in. */
export interface GuardMetrics {
  /** Counts `decision` when it is a refusal; allowed decisions are not counted. */
  record(decision: GuardDecision): void;
}

/**
 * Registers (or reuses) `soar_guard_refusals_total{guard}` on `registry`; every guard's series
 * starts at zero, so rates work from the first refusal.
 */
export function createGuardMetrics(registry: Registry): GuardMetrics {
  const refusals = counterOn(registry, {
    name: "soar_guard_refusals_total",
    help: "Steps refused by a guard before their side effect, by guard.",
    labelNames: ["guard"],
  });
  for (const guard of GUARD_NAMES) refusals.inc({ guard }, 0);
  return {
    record(decision) {
      if (!decision.allowed) refusals.inc({ guard: decision.guard });
    },
  };
}
