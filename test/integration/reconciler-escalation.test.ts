import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { ConnectorSpec, Incident, IncidentEscalation, PlaybookEscalation } from "../../src/api/v1alpha1/types.generated.ts";
import type { SideEffectRef } from "../../src/reconcilers/index.ts";
import { metricValue } from "../../src/testing/metrics.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { RecordingEndpoint } from "../support/recording-endpoint.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllerOptions, type TestControllers } from "./reconciler-helpers.ts";

const WAIT = { timeoutMs: 45_000, intervalMs: 100 };

/** The escalation levels of an Incident as `[level, outcome]`. */
function outcomes(incident: Incident): [number, string][] {
  return (incident.status?.escalations ?? []).map((escalation) => [escalation.level, escalation.outcome]);
}

function escalationOf(incident: Incident, level: number): IncidentEscalation | undefined {
  return incident.status?.escalations?.find((escalation) => escalation.level === level);
}

describe("escalation of unacknowledged Incidents (real apiserver)", () => {
  const kubeConfig = loadKubeConfig();
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  let controllers: TestControllers | undefined;
  let endpoint: RecordingEndpoint | undefined;

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
  });

  function running(): TestControllers {
    if (controllers === undefined) throw new Error("the controllers are not running");
    return controllers;
  }

  afterEach(async () => {
    await controllers?.stop();
    controllers = undefined;
    await endpoint?.stop();
    endpoint = undefined;
  });

  /**
   * A namespace with the controllers, an http Connector `pager` on a local recording endpoint,
   * and one Ready Playbook per entry of `escalations`, each an approval gate that waits forever
   * (so the runs call nothing) with that escalation.
   */
  async function setUp(escalations: Readonly<Record<string, PlaybookEscalation>>, options: TestControllerOptions = {}): Promise<SoarObjects> {
    const namespace = await createTestNamespace(kubeConfig, "rec-escalate");
    endpoint = await RecordingEndpoint.start();
    controllers = await startControllers(kubeConfig, namespace, options);
    const objects = new SoarObjects(kubeConfig, namespace);
    const spec: ConnectorSpec = { type: "http", url: endpoint.url, allowInsecureHTTP: true };
    await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, body: { apiVersion: API_VERSION, kind: "Connector", metadata: { name: "pager", namespace }, spec } });
    for (const [name, escalation] of Object.entries(escalations)) {
      await objects.createPlaybook(name, { trigger: { types: ["falco.rule.output.v1"] }, steps: [{ name: "gate", approval: { message: "contain?" } }], escalation });
      await waitFor(async () => conditionOf(await objects.playbook(name))?.status === "True", { ...WAIT, description: `Playbook ${name} to be Ready` });
    }
    return objects;
  }

  async function incidentWhere(objects: SoarObjects, name: string, description: string, check: (incident: Incident) => boolean): Promise<Incident> {
    return await waitFor(async () => {
      const incident = await objects.incident(name);
      return check(incident) ? incident : undefined;
    }, { ...WAIT, description: `Incident ${name} ${description}` });
  }

  it("fires level 1 once its after has passed and level 2 later, each once, with its Idempotency-Key, timeline entry, Event and count", async () => {
    const objects = await setUp({ gated: { levels: [{ after: "3s", connector: "pager", message: "nobody took ${{ incident.name }}: ${{ incident.title }}" }, { after: "7s", connector: "pager" }] } });
    await explainFailure(objects, controllers, async () => {
      const created = await objects.createIncident("inc", incidentSpec(["gated"]));
      const uid = created.metadata.uid ?? "";
      const opened = new Date(String(created.metadata.creationTimestamp)).getTime();

      const level1 = await incidentWhere(objects, "inc", "to escalate to level 1", (incident) => escalationOf(incident, 1)?.outcome === "Sent");
      expect(outcomes(level1)).toEqual([[1, "Sent"]]);
      const [first] = endpoint?.received ?? [];
      expect(first?.headers["idempotency-key"]).toBe(`${uid}/escalation/1`);
      expect(JSON.parse(first?.body ?? "null")).toEqual({
        message: "nobody took inc: Suspicious process in container",
        incident: { namespace: objects.namespace, name: "inc", title: "Suspicious process in container", severity: "high" },
      });
      // creationTimestamp has second precision: the level counts from the start of that second.
      expect(first?.at.getTime()).toBeGreaterThanOrEqual(opened + 3_000);

      const level2 = await incidentWhere(objects, "inc", "to escalate to level 2", (incident) => escalationOf(incident, 2)?.outcome === "Sent");
      const second = endpoint?.received[1];
      expect(second?.headers["idempotency-key"]).toBe(`${uid}/escalation/2`);
      expect(JSON.parse(second?.body ?? "null")).toMatchObject({ message: "Incident " + objects.namespace + "/inc (high) not acknowledged after 7s: Suspicious process in container" });
      expect(second?.at.getTime()).toBeGreaterThanOrEqual(opened + 7_000);
      expect(endpoint?.received).toHaveLength(2);

      expect(escalationOf(level2, 1)).toMatchObject({ playbook: "gated", connector: "pager", id: `${uid}/escalation/1`, outcome: "Sent" });
      expect(level2.status?.timeline?.filter((entry) => entry.reason === "Escalated").map((entry) => entry.message)).toEqual([
        "level 1: not acknowledged after 3s: Connector pager answered HTTP 202 after 1 request(s)",
        "level 2: not acknowledged after 7s: Connector pager answered HTTP 202 after 1 request(s)",
      ]);
      await waitFor(async () => (await objects.events("inc")).filter((event) => event.startsWith("Escalated: gated: level ")).length === 2, {
        ...WAIT,
        description: "an Escalated Event per level",
      });
      expect(await metricValue(running().registry, "soar_incident_escalations_total", { severity: "high", level: "2", result: "sent" })).toBe(1);
      // The run itself waits for its approval: escalation does not depend on it.
      expect(level2.status?.phase).toBe("AwaitingApproval");
    });
  });

  it("fires nothing for an Incident acknowledged before its first level, and no further level once someone is assigned", async () => {
    // `witness` escalates 2 s after `gated` at each level: once its level 2 was sent, the levels of `gated` were due.
    const objects = await setUp({
      gated: { levels: [{ after: "2s", connector: "pager" }, { after: "8s", connector: "pager" }] },
      witness: { levels: [{ after: "4s", connector: "pager" }, { after: "10s", connector: "pager" }] },
    });
    await explainFailure(objects, controllers, async () => {
      const acknowledged = await objects.createIncident("acknowledged", incidentSpec(["gated"], { fingerprint: "fp-ack", state: "Acknowledged" }));
      const assigned = await objects.createIncident("assigned", incidentSpec(["gated"], { fingerprint: "fp-assigned" }));
      await objects.createIncident("witness", incidentSpec(["witness"], { fingerprint: "fp-witness" }));

      await incidentWhere(objects, "assigned", "to escalate to level 1", (incident) => escalationOf(incident, 1)?.outcome === "Sent");
      await objects.updateIncidentSpec("assigned", (spec) => ({ ...spec, assignee: "alice" }));
      await incidentWhere(objects, "witness", "to escalate to level 2", (incident) => escalationOf(incident, 2)?.outcome === "Sent");

      expect(endpoint?.withKey(`${acknowledged.metadata.uid ?? ""}/escalation/1`)).toEqual([]);
      expect((await objects.incident("acknowledged")).status?.escalations).toBeUndefined();
      expect(endpoint?.withKey(`${assigned.metadata.uid ?? ""}/escalation/1`)).toHaveLength(1);
      expect(endpoint?.withKey(`${assigned.metadata.uid ?? ""}/escalation/2`)).toEqual([]);
      expect(outcomes(await objects.incident("assigned"))).toEqual([[1, "Sent"]]);
      expect(endpoint?.received).toHaveLength(3);
    });
  });

  it("never sends again a level whose call was recorded when the operator died, and sends the next level after the restart", async () => {
    const intents: SideEffectRef[] = [];
    // Runs once the level's record is durable, right before the call: the operator dies there.
    const killBeforeCall = (effect: SideEffectRef): void => {
      intents.push(effect);
      controllers?.kill();
      throw new Error("killed between the escalation's record and its call");
    };
    const objects = await setUp({ gated: { levels: [{ after: "2s", connector: "pager" }, { after: "6s", connector: "pager" }] } }, { hooks: { beforeSideEffect: killBeforeCall } });
    await explainFailure(objects, controllers, async () => {
      const created = await objects.createIncident("inc", incidentSpec(["gated"]));
      const uid = created.metadata.uid ?? "";
      await waitFor(() => intents.length > 0, { ...WAIT, description: "the operator to die right before the level 1 call" });
      await controllers?.stop();
      expect(intents[0]).toMatchObject({ playbook: "gated", step: "escalation/1", name: `${uid}/escalation/1` });
      expect(outcomes(await objects.incident("inc"))).toEqual([[1, "Pending"]]);

      controllers = await startControllers(kubeConfig, objects.namespace);
      const done = await incidentWhere(objects, "inc", "to escalate to level 2", (incident) => escalationOf(incident, 2)?.outcome === "Sent");
      expect(outcomes(done)).toEqual([[1, "Unknown"], [2, "Sent"]]);
      expect(endpoint?.received.map((request) => request.headers["idempotency-key"])).toEqual([`${uid}/escalation/2`]);
      expect(done.status?.timeline?.map((entry) => `${entry.reason}: ${entry.message}`)).toEqual(
        expect.arrayContaining([
          "EscalationFailed: level 1: the outcome of the call of Connector pager is unknown (the operator stopped after recording it); it is not sent again",
        ]),
      );
    });
  });
});

