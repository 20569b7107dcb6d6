import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Incident, IncidentSpec, IncidentStatus, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { anIncident } from "../../testing/objects.ts";
import { recordResponseTransitions, responseMetrics, trackOpenIncidents } from "./response-metrics.ts";

const FIRST_SEEN = "2026-01-01T00:00:00.000Z";
const at = (seconds: number): string => new Date(Date.parse(FIRST_SEEN) + seconds * 1000).toISOString();

function incident(status: IncidentStatus | undefined, spec: Partial<IncidentSpec> = {}, namespace = "ns"): Incident {
  return anIncident({ metadata: { namespace }, spec: { severity: "critical", ...spec }, ...(status === undefined ? {} : { status }) });
}

/** The value of the sample `series` (name and labels as printed) in the registry's exposition. */
async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("response transitions", () => {
  it("counts the controller's first status of an Incident as opened, once", async () => {
    const registry = new Registry();
    const metrics = responseMetrics(registry);
    recordResponseTransitions(metrics, incident(undefined), { phase: "Pending", firstSeen: FIRST_SEEN });
    recordResponseTransitions(metrics, incident({ phase: "Pending" }), { phase: "Running", firstSeen: FIRST_SEEN });
    expect(await sample(registry, 'soar_incidents_opened_total{severity="critical"}')).toBe(1);
    expect(await sample(registry, 'soar_incidents_opened_total{severity="info"}')).toBe(0);
  });

  it("observes the time to acknowledge when acknowledgedAt is first written, from firstSeen", async () => {
    const registry = new Registry();
    const metrics = responseMetrics(registry);
    const before = { phase: "Running" as const, firstSeen: FIRST_SEEN };
    const after = { ...before, acknowledgedAt: at(90) };
    recordResponseTransitions(metrics, incident(before), after);
    recordResponseTransitions(metrics, incident(after), after);
    expect(await sample(registry, 'soar_incident_time_to_acknowledge_seconds_count{severity="critical"}')).toBe(1);
    expect(await sample(registry, 'soar_incident_time_to_acknowledge_seconds_sum{severity="critical"}')).toBe(90);
    expect(await sample(registry, 'soar_incident_time_to_acknowledge_seconds_bucket{le="60",severity="critical"}')).toBe(0);
    expect(await sample(registry, 'soar_incident_time_to_acknowledge_seconds_bucket{le="120",severity="critical"}')).toBe(1);
  });

  it.each([
    { name: "a person", after: { resolvedAt: at(600) }, resolution: "person", seconds: 600 },
    { name: "the automation", after: { automationResolvedAt: at(30) }, resolution: "automation", seconds: 30 },
  ])("counts an Incident resolved by $name once, with its time to resolve", async ({ after, resolution, seconds }) => {
    const registry = new Registry();
    const metrics = responseMetrics(registry);
    const before = { phase: "Running" as const, firstSeen: FIRST_SEEN };
    recordResponseTransitions(metrics, incident(before), { ...before, ...after });
    recordResponseTransitions(metrics, incident({ ...before, ...after }), { ...before, ...after });
    expect(await sample(registry, `soar_incidents_resolved_total{severity="critical",resolution="${resolution}"}`)).toBe(1);
    expect(await sample(registry, `soar_incident_time_to_resolve_seconds_sum{severity="critical",resolution="${resolution}"}`)).toBe(seconds);
  });

  it("does not count a person closing an Incident the automation resolved before", async () => {
    const registry = new Registry();
    const metrics = responseMetrics(registry);
    const before = { phase: "Succeeded" as const, firstSeen: FIRST_SEEN, automationResolvedAt: at(30) };
    recordResponseTransitions(metrics, incident(before, { state: "Closed" }), { ...before, phase: "Closed", resolvedAt: at(900) });
    expect(await sample(registry, 'soar_incidents_resolved_total{severity="critical",resolution="person"}')).toBe(0);
    expect(await sample(registry, 'soar_incidents_resolved_total{severity="critical",resolution="automation"}')).toBe(0);
  });
});

describe("open Incidents and waiting approvals", () => {
  const waitingRun = (since: string): PlaybookRun => ({
    name: "gated",
    phase: "AwaitingApproval",
    steps: [{ name: "gate", phase: "Waiting", attempts: 1, startedAt: since }, { name: "act", phase: "Pending" }],
  });
  const retrying: PlaybookRun = { name: "retrying", phase: "Running", steps: [{ name: "call", phase: "Waiting", attempts: 1, startedAt: at(0), intent: { attempt: 1, id: "x" } }] };

  it("counts at scrape time from the cache and clears the gauges when stopped", async () => {
    const registry = new Registry();
    const metrics = responseMetrics(registry);
    const cache = [
      incident({ phase: "AwaitingApproval", playbooks: [waitingRun(at(0))] }),
      incident({ phase: "AwaitingApproval", playbooks: [waitingRun(at(100))] }),
      incident({ phase: "AwaitingApproval", playbooks: [waitingRun(at(50))] }, { severity: "low" }, "other"),
      incident({ phase: "Running", playbooks: [retrying] }, { assignee: "alice" }),
      incident({ phase: "Running" }, { state: "Acknowledged", severity: "high" }),
      incident({ phase: "Succeeded", automationResolvedAt: at(10) }),
      incident({ phase: "Resolved", playbooks: [waitingRun(at(0))] }, { state: "Resolved" }),
      incident(undefined, { severity: "medium" }),
    ];
    const stop = trackOpenIncidents(registry, metrics, () => cache, { now: () => new Date(at(3600)) });
    expect(await sample(registry, 'soar_open_incidents{severity="critical",state="open"}')).toBe(2);
    expect(await sample(registry, 'soar_open_incidents{severity="critical",state="acknowledged"}')).toBe(1);
    expect(await sample(registry, 'soar_open_incidents{severity="high",state="acknowledged"}')).toBe(1);
    expect(await sample(registry, 'soar_open_incidents{severity="medium",state="open"}')).toBe(1);
    expect(await sample(registry, 'soar_open_incidents{severity="low",state="open"}')).toBe(1);
    expect(await sample(registry, 'soar_open_incidents{severity="info",state="open"}')).toBe(0);
    expect(await sample(registry, 'soar_approvals_waiting{severity="critical",playbook="ns/gated"}')).toBe(2);
    expect(await sample(registry, 'soar_approvals_waiting{severity="low",playbook="other/gated"}')).toBe(1);
    expect(await sample(registry, 'soar_approvals_waiting{severity="critical",playbook="ns/retrying"}')).toBeUndefined();
    expect(await sample(registry, 'soar_approval_oldest_wait_seconds{severity="critical",playbook="ns/gated"}')).toBe(3600);
    expect(await sample(registry, 'soar_approval_oldest_wait_seconds{severity="low",playbook="other/gated"}')).toBe(3550);

    cache.splice(0, 3);
    expect(await sample(registry, 'soar_approvals_waiting{severity="critical",playbook="ns/gated"}')).toBeUndefined();
    stop();
    const text = await registry.metrics();
    expect(text).not.toContain("soar_open_incidents{");
    expect(text).not.toContain("soar_approval_oldest_wait_seconds{");
  });
});
