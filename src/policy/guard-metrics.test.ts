import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createGuardMetrics } from "./guard-metrics.ts";

describe("createGuardMetrics", () => {
  it("counts refusals by guard, run-start limits included, and ignores allowed decisions", async () => {
    const registry = new Registry();
    const metrics = createGuardMetrics(registry);
    metrics.record({ allowed: true });
    metrics.record({ allowed: false, guard: "tenancy", reason: "TenancyViolation", message: "m" });
    metrics.record({ allowed: false, guard: "tenancy", reason: "TenancyViolation", message: "m" });
    metrics.record({ allowed: false, guard: "rateLimit", reason: "RateLimited", message: "m" });
    const values = (await registry.getSingleMetric("soar_guard_refusals_total")?.get())?.values ?? [];
    const byGuard = Object.fromEntries(values.map((value) => [String(value.labels["guard"]), value.value]));
    expect(byGuard).toEqual({ protectedNamespace: 0, tenancy: 2, approval: 0, rateLimit: 1, maxActiveIncidents: 0, dryRun: 0, protectedNode: 0 });
  });

  it("counts steps that failed because an action refused a protected Node, and no other failure", async () => {
    const registry = new Registry();
    const metrics = createGuardMetrics(registry);
    metrics.recordStepFailure("ProtectedNode");
    metrics.recordStepFailure("NotFound");
    metrics.recordStepFailure("StepSucceeded");
    metrics.recordStepFailure("__proto__");
    const values = (await registry.getSingleMetric("soar_guard_refusals_total")?.get())?.values ?? [];
    expect(values.filter((value) => value.value > 0).map((value) => [value.labels["guard"], value.value])).toEqual([["protectedNode", 1]]);
  });

  it("shares the counter when two recorders use one registry", () => {
    const registry = new Registry();
    createGuardMetrics(registry);
    expect(() => createGuardMetrics(registry)).not.toThrow();
  });
});
