import { jetstreamManager } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { createPlaybook, listIncidents, publish, testOptions, useIntakeSuite, type IntakeSuite } from "./intake-helpers.ts";

const TYPE = "com.example.tenancy.tested";
const structured = { "content-type": "application/cloudevents+json" };
const matchEverything = { when: "true" };

/** A structured CloudEvent about the given resources; its subject names the Incident it opens. */
function cloudEvent(subject: string, resources: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify({ specversion: "1.0", id: subject, source: "//scanner.example.com/tenancy", type: TYPE, subject, severity: "high", data: resources }));
}

function bySubject(incidents: readonly Incident[], subject: string): Incident[] {
  return incidents.filter((incident) => incident.spec.event?.subject === subject);
}

async function drained(suite: IntakeSuite): Promise<boolean> {
  const info = await (await jetstreamManager(suite.connection)).consumers.info("SOAR_EVENTS", "kube-soar-intake");
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe("which Playbooks an alert reaches", () => {
  const namespaces = { operator: "", tenantA: "", tenantB: "" };
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespaces.operator = await createTestNamespace(kubeConfig, "intake-tenancy-operator");
    namespaces.tenantA = await createTestNamespace(kubeConfig, "intake-tenancy-a");
    namespaces.tenantB = await createTestNamespace(kubeConfig, "intake-tenancy-b");
    const spec = { trigger: matchEverything, steps: [{ name: "notify", job: { image: "registry.example.com/notify:1" } }] };
    await createPlaybook(kubeConfig, namespaces.operator, { metadata: { name: "everything" }, spec });
    await createPlaybook(kubeConfig, namespaces.tenantA, { metadata: { name: "everything" }, spec });
    return testOptions({ natsUrl, defaultNamespace: namespaces.operator, watchNamespaces: [namespaces.operator, namespaces.tenantA] });
  });

  /** Publishes an alert and resolves with its Incidents in the operator's and tenant-a's namespaces once every write is done. */
  async function incidentsFor(subject: string, resources: Record<string, string>): Promise<{ operator: Incident[]; tenantA: Incident[] }> {
    await publish(suite.connection, `soar.events.${subject}`, cloudEvent(subject, resources), structured);
    await waitFor(async () => bySubject(await listIncidents(suite.kubeConfig, namespaces.operator), subject).length > 0, { timeoutMs: 15_000, description: `the Incident of ${subject} in the operator's namespace` });
    await waitFor(() => drained(suite), { timeoutMs: 15_000, description: "every delivery acknowledged" });
    return {
      operator: bySubject(await listIncidents(suite.kubeConfig, namespaces.operator), subject),
      tenantA: bySubject(await listIncidents(suite.kubeConfig, namespaces.tenantA), subject),
    };
  }

  it("opens an Incident for a tenant's Playbook when the alert is about the tenant's namespace", async () => {
    const incidents = await incidentsFor("about-a", { namespace: namespaces.tenantA, pod: "web-0" });
    expect(incidents.tenantA.map((incident) => incident.spec.playbooks)).toEqual([["everything"]]);
    expect(incidents.tenantA[0]?.spec.resources).toEqual({ namespace: namespaces.tenantA, pod: "web-0" });
    expect(incidents.operator.map((incident) => incident.spec.playbooks)).toEqual([["everything"]]);
  });

  it("opens none in a tenant's namespace for an alert about another namespace", async () => {
    const incidents = await incidentsFor("about-b", { namespace: namespaces.tenantB, pod: "db-0" });
    expect(incidents.tenantA).toEqual([]);
    expect(incidents.operator.map((incident) => incident.spec.resources)).toEqual([{ namespace: namespaces.tenantB, pod: "db-0" }]);
  });

  it("opens none in a tenant's namespace for an alert about no namespace (a Node)", async () => {
    const incidents = await incidentsFor("about-node", { node: "worker-1" });
    expect(incidents.tenantA).toEqual([]);
    expect(incidents.operator.map((incident) => incident.spec.resources)).toEqual([{ node: "worker-1" }]);
  });
});
