import { CustomObjectsApi, KubernetesObjectApi } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Incident, IncidentSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, stepOf, type TestControllers } from "./reconciler-helpers.ts";

// The SOC's figures after a scripted lifecycle through the real controllers: one Incident the
// automation resolves alone, one a person acknowledges and resolves while its approval waits;
// then the controllers restart and count nothing twice, while the gauges are right at once.
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

/** The value of the sample `series` (name and labels as printed), or undefined when it is not served. */
async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Resolves once `series` has the value `expected` (undefined: not served), polling: the counters
 * follow the status write a moment after it is visible, the gauges follow the informer cache.
 */
async function settles(registry: Registry, series: string, expected: number | undefined): Promise<void> {
  let last: number | undefined;
  await waitFor(async () => {
    last = await sample(registry, series);
    return last === expected;
  }, { ...WAIT, description: `${series} to be ${String(expected)}` }).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; last value ${String(last)}`, { cause: error });
  });
}

function seconds(from: string | undefined, to: string | undefined): number {
  if (from === undefined || to === undefined) throw new Error(`missing timestamp: ${String(from)} → ${String(to)}`);
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

describe("response-time metrics (real apiserver)", () => {
  const kubeConfig = loadKubeConfig();
  let namespace: string;
  let objects: SoarObjects;
  let controllers: TestControllers | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "soc-metrics");
    objects = new SoarObjects(kubeConfig, namespace);
    await KubernetesObjectApi.makeApiClient(kubeConfig).create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-0", namespace, labels: { app: "web" } },
      spec: { containers: [{ name: "app", image: "registry.example/web:1" }] },
    });
  });

  afterAll(async () => {
    await controllers?.stop();
  });

  /** Opens an Incident as intake does: in one write, the opening occurrence pinned in spec.opening. */
  async function open(name: string, spec: IncidentSpec): Promise<void> {
    const body: Incident = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: "Incident",
      metadata: { name, namespace },
      spec: { ...spec, fingerprint: `fp-${name}`, opening: { receivedAt: new Date().toISOString(), eventKey: `key-${name}` } },
    };
    await kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, body });
  }

  async function incidentWhere(name: string, description: string, check: (incident: Incident) => boolean): Promise<Incident> {
    return await waitFor(async () => {
      const incident = await objects.incident(name);
      return check(incident) ? incident : undefined;
    }, { ...WAIT, description: `Incident ${name} ${description}` });
  }

  it("counts each transition once from the status written, and computes the gauges from the cache", async () => {
    controllers = await startControllers(kubeConfig, namespace);
    await explainFailure(objects, controllers, async () => {
      const running = controllers;
      if (running === undefined) throw new Error("controllers not started");
      const registry = running.registry;
      await objects.createPlaybook("contain", { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "tag", action: { type: "label", params: { quarantine: "true" } } }] });
      await objects.createPlaybook("gated", { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "gate", approval: { message: "contain?" } }] });
      for (const playbook of ["contain", "gated"]) {
        await waitFor(async () => conditionOf(await objects.playbook(playbook))?.status === "True", { ...WAIT, description: `Playbook ${playbook} to be Ready` });
      }
      const resources = { namespace, pod: "web-0" };

      // The automation resolves this one alone: its only step labels the Pod and succeeds.
      await open("automated", incidentSpec(["contain"], { severity: "critical", resources }));
      const automated = await incidentWhere("automated", "resolved by the automation", (incident) => incident.status?.automationResolvedAt !== undefined);
      expect(automated.status).toMatchObject({ phase: "Succeeded" });
      expect(automated.status?.acknowledgedAt).toBeUndefined();
      await settles(registry, 'soar_incidents_opened_total{severity="critical"}', 1);
      await settles(registry, 'soar_incidents_resolved_total{severity="critical",resolution="automation"}', 1);
      await settles(registry, 'soar_incident_time_to_resolve_seconds_count{severity="critical",resolution="automation"}', 1);
      await settles(registry, 'soar_incident_time_to_resolve_seconds_sum{severity="critical",resolution="automation"}', seconds(automated.status?.firstSeen, automated.status?.automationResolvedAt));
      await settles(registry, 'soar_open_incidents{severity="critical",state="open"}', 0);

      // This one waits for an approval; a person acknowledges it, then resolves it.
      await open("handled", incidentSpec(["gated"], { severity: "high", resources }));
      await incidentWhere("handled", "to await approval", (incident) => stepOf(incident, "gate", "gated")?.phase === "Waiting");
      await settles(registry, 'soar_incidents_opened_total{severity="high"}', 1);
      await settles(registry, 'soar_open_incidents{severity="high",state="open"}', 1);
      await settles(registry, `soar_approvals_waiting{severity="high",playbook="${namespace}/gated"}`, 1);
      await waitFor(async () => ((await sample(registry, `soar_approval_oldest_wait_seconds{severity="high",playbook="${namespace}/gated"}`)) ?? -1) >= 0, { ...WAIT, description: "the oldest approval wait to be served" });

      await objects.updateIncidentSpec("handled", (spec) => ({ ...spec, state: "Acknowledged", assignee: "alice" }));
      const acknowledged = await incidentWhere("handled", "acknowledged", (incident) => incident.status?.acknowledgedAt !== undefined);
      await settles(registry, 'soar_incident_time_to_acknowledge_seconds_count{severity="high"}', 1);
      await settles(registry, 'soar_incident_time_to_acknowledge_seconds_sum{severity="high"}', seconds(acknowledged.status?.firstSeen, acknowledged.status?.acknowledgedAt));
      await settles(registry, 'soar_open_incidents{severity="high",state="acknowledged"}', 1);
      await settles(registry, 'soar_open_incidents{severity="high",state="open"}', 0);

      await objects.updateIncidentSpec("handled", (spec) => ({ ...spec, state: "Resolved" }));
      const resolved = await incidentWhere("handled", "resolved", (incident) => incident.status?.resolvedAt !== undefined);
      expect(resolved.status?.automationResolvedAt).toBeUndefined();
      await settles(registry, 'soar_incidents_resolved_total{severity="high",resolution="person"}', 1);
      await settles(registry, 'soar_incidents_resolved_total{severity="high",resolution="automation"}', 0);
      await settles(registry, 'soar_incident_time_to_resolve_seconds_sum{severity="high",resolution="person"}', seconds(resolved.status?.firstSeen, resolved.status?.resolvedAt));
      await settles(registry, 'soar_incident_time_to_acknowledge_seconds_count{severity="high"}', 1);
      await settles(registry, 'soar_open_incidents{severity="high",state="acknowledged"}', 0);
      await settles(registry, `soar_approvals_waiting{severity="high",playbook="${namespace}/gated"}`, undefined);
    });

    // A restart (new controllers, new registry) reads Incidents that carry their timestamps: it
    // reconciles them and counts nothing again, and its gauges are right from the first scrape.
    await controllers.stop();
    controllers = await startControllers(kubeConfig, namespace);
    const restarted = controllers;
    await explainFailure(objects, restarted, async () => {
      await waitFor(async () => ((await sample(restarted.registry, 'controller_runtime_reconcile_total{controller="incident",result="success"}')) ?? 0) >= 2, {
        ...WAIT,
        description: "the restarted controller to reconcile both Incidents",
      });
      await objects.updateIncidentSpec("automated", (spec) => ({ ...spec, state: "Closed" }));
      await incidentWhere("automated", "closed", (incident) => incident.status?.resolvedAt !== undefined);
      const text = await restarted.registry.metrics();
      for (const series of [
        'soar_incidents_opened_total{severity="critical"} 0',
        'soar_incidents_opened_total{severity="high"} 0',
        'soar_incidents_resolved_total{severity="critical",resolution="automation"} 0',
        'soar_incidents_resolved_total{severity="critical",resolution="person"} 0',
        'soar_incidents_resolved_total{severity="high",resolution="person"} 0',
        'soar_open_incidents{severity="critical",state="open"} 0',
        'soar_open_incidents{severity="high",state="acknowledged"} 0',
      ]) {
        expect(text).toContain(series);
      }
      expect(text).not.toContain("soar_incident_time_to_acknowledge_seconds_count{");
      expect(text).not.toContain("soar_incident_time_to_resolve_seconds_count{");
    });
  });
});
