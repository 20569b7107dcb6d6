import { jetstreamManager, PubHeaders } from "@nats-io/jetstream";
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import type { IncidentEventData } from "../../src/api/v1alpha1/incident-events.ts";
import { FAST_FAILOVER_FLAGS, OperatorTestbed } from "../support/operator-process.ts";
import { waitFor } from "../support/kube.ts";

const PLAYBOOK = "gated";
const STREAM = "SOAR_INCIDENTS";

/** A lifecycle event as the subscriber received it. */
interface Received {
  readonly id: string;
  readonly type: string;
  readonly data: IncidentEventData;
}

describe("Incident lifecycle events across a leader change between two operator processes", () => {
  let bed: OperatorTestbed;
  let client: NatsConnection;
  let subscription: Subscription;
  const events: Received[] = [];

  beforeAll(async () => {
    bed = await OperatorTestbed.start({ prefix: "events-failover", flags: { ...FAST_FAILOVER_FLAGS, "nats-incident-events-stream": STREAM } });
    client = await connect({ servers: bed.nats.url });
    subscription = client.subscribe(`soar.incidents.${bed.namespace}.>`, {
      callback: (error, message) => {
        if (error !== null) return;
        events.push({ id: message.headers?.get("ce-id") ?? "", type: message.headers?.get("ce-type") ?? "", data: message.json<IncidentEventData>() });
      },
    });
    await client.flush();
  });

  afterAll(async () => {
    subscription.unsubscribe();
    await client.close();
    await bed.close();
  });

  /** The events a consumer deduplicating by id keeps, in order. */
  function deduplicated(): Received[] {
    const seen = new Set<string>();
    return events.filter((event) => !seen.has(event.id) && seen.add(event.id));
  }

  async function waitForTypes(types: readonly string[], description: string): Promise<Received[]> {
    const kept = await waitFor(() => {
      const current = deduplicated();
      return current.length >= types.length ? current : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, description: `${description}; received ${JSON.stringify(events.map((event) => event.id))}` });
    expect(kept.map((event) => event.type)).toEqual(types);
    return kept;
  }

  it("announces each transition once, before and after a graceful handover, and the capture stream stores each once", async () => {
    onTestFailed(async () => { console.log(await bed.diagnostics()); });
    const first = await bed.start("operator-a");
    await bed.waitForLeader("operator-a");
    await bed.createPlaybook(PLAYBOOK, {
      trigger: bed.trigger(),
      steps: [
        { name: "gate", approval: { message: "Contain ${{ incident.resources.pod }}?" } },
        { name: "confirm", approval: { message: "Sure?" } },
      ],
    });
    const second = await bed.start("operator-b");
    await second.waitUntilReady();

    await bed.publish("miner-0");
    const name = (await bed.incidentAbout("miner-0")).metadata.name ?? "";
    await bed.decide(name, { playbook: PLAYBOOK, step: "gate", decision: "approve", by: "e2e-approver" });
    await waitForTypes(["io.kube-soar.incident.opened", "io.kube-soar.step.finished"], "opened and the gate's outcome from operator-a");
    await bed.waitForIncident(name, (incident) => incident.status?.published?.runs?.[0]?.steps?.includes("gate") === true, "to record the gate's event");

    expect(await first.terminate()).toMatchObject({ code: 0 });
    await bed.waitForLeader("operator-b");
    await bed.decide(name, { playbook: PLAYBOOK, step: "confirm", decision: "approve", by: "e2e-approver" });
    await bed.waitForIncident(name, (incident) => incident.status?.phase === "Succeeded", "to succeed");
    await bed.setState(name, "Resolved");
    const kept = await waitForTypes(
      ["io.kube-soar.incident.opened", "io.kube-soar.step.finished", "io.kube-soar.step.finished", "io.kube-soar.incident.resolved"],
      "the rest from operator-b",
    );

    const uid = (await bed.waitForIncident(name, () => true, "to exist")).metadata.uid ?? "";
    expect(kept.map((event) => event.id)).toEqual([`${uid}/opened`, `${uid}/step/${PLAYBOOK}/gate/1/finished`, `${uid}/step/${PLAYBOOK}/confirm/1/finished`, `${uid}/resolved`]);
    expect(kept[0]?.data).toMatchObject({ incident: { namespace: bed.namespace, name, uid }, severity: "critical", occurrences: 1, resources: { pod: "miner-0" } });
    // A clean handover: the first leader recorded what it published before it let go.
    expect(events).toHaveLength(kept.length);
    const jsm = await jetstreamManager(client);
    const info = await jsm.streams.info(STREAM);
    const stored: string[] = [];
    for (let sequence = info.state.first_seq; sequence <= info.state.last_seq; sequence++) {
      stored.push((await jsm.streams.getMessage(STREAM, { seq: sequence }))?.header.get(PubHeaders.MsgIdHdr) ?? "");
    }
    expect(stored).toEqual(kept.map((event) => event.id));
    expect((await second.metrics()).body).toMatch(/soar_incident_events_published_total\{type="io.kube-soar.incident.resolved",result="published"\} 1/);
  });
});
