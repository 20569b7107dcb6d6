import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager, PubHeaders } from "@nats-io/jetstream";
import { connect, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { IncidentEventData } from "../../src/api/v1alpha1/incident-events.ts";
import type { Incident, IncidentApproval, PlaybookSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { NatsLifecyclePublisher, type LifecycleEventSink } from "../../src/reconcilers/index.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { metricValue } from "./intake-helpers.ts";
import { conditionOf, explainFailure, incidentSpec, SoarObjects, startControllers, type TestControllers } from "./reconciler-helpers.ts";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const PREFIX = "soar.incidents";
const OPENED = "io.kube-soar.incident.opened";
const UPDATED = "io.kube-soar.incident.updated";
const RESOLVED = "io.kube-soar.incident.resolved";
const CLOSED = "io.kube-soar.incident.closed";
const STEP_FINISHED = "io.kube-soar.step.finished";

/** Two approval gates, then a step whose condition is false. */
const gated: PlaybookSpec = {
  trigger: { types: ["falco.rule.output.v1"] },
  steps: [
    { name: "gate", approval: { message: "contain ${{ incident.resources.pod }}?" } },
    { name: "confirm", approval: { message: "confirm?" } },
    { name: "never", when: "false", job: { image: "registry.invalid/never:1" } },
  ],
};

/** A lifecycle event as a subscriber received it. */
interface Received {
  readonly subject: string;
  readonly headers: Record<string, string>;
  readonly data: IncidentEventData;
}

const ceHeaders = ["ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject", "ce-time", "content-type", PubHeaders.MsgIdHdr];

function received(message: Msg): Received {
  const headers: Record<string, string> = {};
  for (const name of ceHeaders) {
    const value = message.headers?.get(name);
    if (value !== undefined && value !== "") headers[name] = value;
  }
  return { subject: message.subject, headers, data: message.json<IncidentEventData>() };
}

/** Every lifecycle event of one namespace, in the order NATS delivered them. */
class Subscriber {
  readonly events: Received[] = [];
  readonly #subscription: Subscription;

  constructor(connection: NatsConnection, namespace: string) {
    this.#subscription = connection.subscribe(`${PREFIX}.${namespace}.>`, {
      callback: (error, message) => {
        if (error === null) this.events.push(received(message));
      },
    });
  }

  /** `ce-type ce-id` of each event received, raw (duplicates included). */
  lines(): string[] {
    return this.events.map((event) => `${event.headers["ce-type"] ?? ""} ${event.headers["ce-id"] ?? ""}`);
  }

  /** What a consumer deduplicating by `ce-id` keeps: the first of each id, in order. */
  deduplicated(): Received[] {
    const seen = new Set<string>();
    return this.events.filter((event) => {
      const id = event.headers["ce-id"] ?? "";
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  /** Events received more than once (same `ce-id`). */
  rawDuplicates(): number {
    return this.events.length - this.deduplicated().length;
  }

  async waitForTypes(types: readonly string[], description: string): Promise<Received[]> {
    return await waitFor(() => {
      const kept = this.deduplicated();
      return kept.length >= types.length ? kept : undefined;
    }, { ...WAIT, description: `${description} (received so far: ${JSON.stringify(this.lines())})` }).then((kept) => {
      expect(kept.map((event) => event.headers["ce-type"])).toEqual(types);
      return kept;
    });
  }

  unsubscribe(): void {
    this.#subscription.unsubscribe();
  }
}

describe("Incident lifecycle CloudEvents on NATS (real apiserver and nats-server)", () => {
  const kubeConfig = loadKubeConfig();
  const logger = pino({ level: "silent" });
  let nats: RunningNats | undefined;
  let client: NatsConnection | undefined;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    await ensureCrds(kubeConfig);
    nats = await startNats({ binDir: inject("binDir") });
    client = await connect({ servers: nats.url });
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  afterAll(async () => {
    await client?.close();
    await nats?.stop();
  });

  function natsUrl(): string {
    if (nats === undefined) throw new Error("nats-server is not started");
    return nats.url;
  }

  function natsClient(): NatsConnection {
    if (client === undefined) throw new Error("the NATS client is not connected");
    return client;
  }

  /** A publisher on its own connection, connected; closed after the test. */
  async function publisher(stream?: string): Promise<NatsLifecyclePublisher> {
    const options = stream === undefined
      ? undefined
      : { stream, streamMode: "create" as const, duplicateWindowMs: 120_000, maxAgeMs: 3_600_000, limits: { maxBytes: 0, maxMsgs: 0, discard: "old" as const } };
    const created = new NatsLifecyclePublisher({ connection: { servers: [natsUrl()] }, prefix: PREFIX, source: "kube-soar/kube-soar-system", stream: options }, logger);
    cleanup.push(() => created.close());
    // Each test's stream captures the whole prefix: the next test's would overlap it.
    if (stream !== undefined) cleanup.push(async () => { await (await jetstreamManager(natsClient())).streams.delete(stream).catch(() => false); });
    await waitFor(() => created.connected(), { ...WAIT, description: "the lifecycle publisher to connect" });
    return created;
  }

  async function controllersFor(namespace: string, sink: LifecycleEventSink): Promise<TestControllers> {
    const started = await startControllers(kubeConfig, namespace, { lifecycleEvents: sink });
    cleanup.push(() => started.stop());
    return started;
  }

  async function setUp(prefix: string): Promise<{ namespace: string; objects: SoarObjects; subscriber: Subscriber }> {
    const namespace = await createTestNamespace(kubeConfig, prefix);
    const subscriber = new Subscriber(natsClient(), namespace);
    cleanup.push(() => { subscriber.unsubscribe(); });
    await natsClient().flush();
    return { namespace, objects: new SoarObjects(kubeConfig, namespace), subscriber };
  }

  async function readyPlaybook(objects: SoarObjects): Promise<void> {
    await objects.createPlaybook("gated", gated);
    await waitFor(async () => conditionOf(await objects.playbook("gated"))?.status === "True", { ...WAIT, description: "Playbook gated to be Ready" });
  }

  /** The spec of an Incident as intake opens it: its opening occurrence pinned in spec.opening. */
  function openingSpec(): Incident["spec"] {
    return incidentSpec(["gated"], { title: "Shell in web-0 with api_token=sk-live-0123456789", opening: { receivedAt: new Date().toISOString(), eventKey: "opening-event" } });
  }

  function approve(step: string): (spec: Incident["spec"]) => Incident["spec"] {
    const approval: IncidentApproval = { playbook: "gated", step, decision: "approve", by: "alice" };
    return (spec) => ({ ...spec, approvals: [...(spec.approvals ?? []), approval] });
  }

  /** What intake does when it folds occurrences: the status count grows (read, modify, write). */
  async function fold(config: KubeConfig, namespace: string, name: string, occurrences: number): Promise<void> {
    const api = config.makeApiClient(CustomObjectsApi);
    await waitFor(async () => {
      const current = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name })) as Incident;
      const body: Incident = { ...current, status: { ...current.status, occurrences } };
      await api.replaceNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident, name, body });
      return true;
    }, { ...WAIT, description: `Incident ${name} to fold ${String(occurrences)} occurrences` });
  }

  it("publishes opened, updated, each step's outcome, resolved and closed once each, in order, as binary-mode CloudEvents", async () => {
    const { namespace, objects, subscriber } = await setUp("events-lifecycle");
    const controllers = await controllersFor(namespace, await publisher());
    await explainFailure(objects, controllers, async () => {
      await readyPlaybook(objects);
      await objects.createIncident("web-0.shell", openingSpec());
      await subscriber.waitForTypes([OPENED], "opened");

      await fold(kubeConfig, namespace, "web-0.shell", 3);
      await subscriber.waitForTypes([OPENED, UPDATED], "updated after a fold");

      await objects.updateIncidentSpec("web-0.shell", approve("gate"));
      await subscriber.waitForTypes([OPENED, UPDATED, STEP_FINISHED], "the gate's outcome");
      await objects.updateIncidentSpec("web-0.shell", approve("confirm"));
      await subscriber.waitForTypes([OPENED, UPDATED, STEP_FINISHED, STEP_FINISHED, STEP_FINISHED], "the outcomes of confirm and never");

      await objects.updateIncidentSpec("web-0.shell", (spec) => ({ ...spec, state: "Resolved" }));
      await subscriber.waitForTypes([OPENED, UPDATED, STEP_FINISHED, STEP_FINISHED, STEP_FINISHED, RESOLVED], "resolved");
      await objects.updateIncidentSpec("web-0.shell", (spec) => ({ ...spec, state: "Closed" }));
      const events = await subscriber.waitForTypes([OPENED, UPDATED, STEP_FINISHED, STEP_FINISHED, STEP_FINISHED, RESOLVED, CLOSED], "closed");

      const incident = await objects.incident("web-0.shell");
      const uid = incident.metadata.uid ?? "";
      expect(events.map((event) => event.headers["ce-id"])).toEqual([
        `${uid}/opened`,
        `${uid}/updated/3/high`,
        `${uid}/step/gated/gate/1/finished`,
        `${uid}/step/gated/confirm/1/finished`,
        `${uid}/step/gated/never/0/finished`,
        `${uid}/resolved`,
        `${uid}/closed`,
      ]);
      expect(subscriber.rawDuplicates()).toBe(0);
      expect(events[0]?.subject).toBe(`${PREFIX}.${namespace}.web-0_shell.incident.opened`);
      expect(events[2]?.subject).toBe(`${PREFIX}.${namespace}.web-0_shell.step.finished`);
      expect(events[0]?.headers).toMatchObject({
        "ce-specversion": "1.0",
        "ce-source": "kube-soar/kube-soar-system",
        "ce-subject": `${namespace}/web-0.shell`,
        "content-type": "application/json",
        [PubHeaders.MsgIdHdr]: `${uid}/opened`,
      });
      expect(Number.isNaN(Date.parse(events[0]?.headers["ce-time"] ?? ""))).toBe(false);
      expect(events[0]?.data).toMatchObject({
        incident: { namespace, name: "web-0.shell", uid },
        severity: "high",
        state: "Open",
        title: "Shell in web-0 with api_token=[REDACTED]",
        source: "falco",
        occurrences: 1,
        resources: { namespace: "shop", pod: "web-0" },
        playbooks: [{ name: "gated" }],
      });
      expect(events[1]?.data.occurrences).toBe(3);
      expect(events.map((event) => event.data.step && `${event.data.step.name} ${event.data.step.phase}`)).toEqual([
        undefined, undefined, "gate Succeeded", "confirm Succeeded", "never Skipped", undefined, undefined,
      ]);
      expect(events[5]?.data).toMatchObject({ state: "Resolved", phase: "Resolved" });
      expect(events[6]?.data).toMatchObject({ state: "Closed", phase: "Closed" });
      for (const event of events) expect(JSON.stringify(event.data)).not.toContain("Terminal shell in container");

      expect(incident.status?.published).toMatchObject({ opened: true, occurrences: 3, closedState: "Closed", runs: [{ name: "gated", steps: ["gate", "confirm", "never"] }] });
      expect(await metricValue(controllers.registry, "soar_incident_events_published_total", { type: STEP_FINISHED, result: "published" })).toBe(3);
      expect(await metricValue(controllers.registry, "soar_incident_events_published_total", { result: "failed" })).toBe(0);
    });
  });

  it("hands over to another leader mid-lifecycle: every transition once, no raw duplicate, the capture stream holding each id once", async () => {
    const { namespace, objects, subscriber } = await setUp("events-handover");
    const stream = `SOAR_INCIDENTS_HANDOVER`;
    const first = await controllersFor(namespace, await publisher(stream));
    let leader: TestControllers = first;
    await explainFailure(objects, leader, async () => {
      await readyPlaybook(objects);
      await objects.createIncident("inc", openingSpec());
      await objects.updateIncidentSpec("inc", approve("gate"));
      await subscriber.waitForTypes([OPENED, STEP_FINISHED], "opened and the gate's outcome from the first leader");
      await waitFor(async () => (await objects.incident("inc")).status?.published?.runs?.[0]?.steps?.includes("gate"), { ...WAIT, description: "the first leader to record the gate's event" });

      await first.stop();
      leader = await controllersFor(namespace, await publisher(stream));
      await objects.updateIncidentSpec("inc", approve("confirm"));
      await objects.updateIncidentSpec("inc", (spec) => ({ ...spec, state: "Closed" }));
      await subscriber.waitForTypes([OPENED, STEP_FINISHED, STEP_FINISHED, STEP_FINISHED, CLOSED], "the rest from the second leader");

      expect(subscriber.rawDuplicates()).toBe(0);
      const stored = await storedIds(stream);
      expect(stored).toEqual(subscriber.deduplicated().map((event) => event.headers["ce-id"]));
    });
  });

  it("publishes again, with the same id, an event whose answer was lost before the leader changed, and the capture stream stores it once", async () => {
    const { namespace, objects, subscriber } = await setUp("events-lost-answer");
    const stream = `SOAR_INCIDENTS_LOST_ANSWER`;
    const real = await publisher(stream);
    let lost = 0;
    // The first step.finished reaches the stream, but its answer never comes back: as with a
    // crash between the publish and the status write, nothing records it.
    const losingAnswers: LifecycleEventSink = {
      publish: async (event) => {
        const result = await real.publish(event);
        if (event.type === STEP_FINISHED && lost === 0) {
          lost++;
          throw new Error("the answer of the NATS server was lost");
        }
        return result;
      },
    };
    const first = await controllersFor(namespace, losingAnswers);
    let leader: TestControllers = first;
    await explainFailure(objects, leader, async () => {
      await readyPlaybook(objects);
      await objects.createIncident("inc", openingSpec());
      await subscriber.waitForTypes([OPENED], "opened");
      await objects.updateIncidentSpec("inc", approve("gate"));
      await waitFor(() => lost === 1, { ...WAIT, description: "the gate's event to lose its answer" });

      await first.stop();
      leader = await controllersFor(namespace, await publisher(stream));
      await objects.updateIncidentSpec("inc", approve("confirm"));
      await objects.updateIncidentSpec("inc", (spec) => ({ ...spec, state: "Resolved" }));
      const kept = await subscriber.waitForTypes([OPENED, STEP_FINISHED, STEP_FINISHED, STEP_FINISHED, RESOLVED], "every transition, deduplicated by id");

      // At least once: the gate's event came twice, with one id, and nothing else did.
      const uid = (await objects.incident("inc")).metadata.uid ?? "";
      expect(subscriber.rawDuplicates()).toBe(1);
      expect(subscriber.lines().filter((line) => line.endsWith(`${uid}/step/gated/gate/1/finished`))).toHaveLength(2);
      expect(await storedIds(stream)).toEqual(kept.map((event) => event.headers["ce-id"]));
      const duplicates = await metricValue(first.registry, "soar_incident_events_published_total", { result: "duplicate" })
        + await metricValue(leader.registry, "soar_incident_events_published_total", { result: "duplicate" });
      expect(duplicates).toBe(1);
    });
  });

  it("goes on without a NATS server that hangs, keeps the event pending, and publishes it once the server answers again", async () => {
    const { namespace, objects, subscriber } = await setUp("events-outage");
    const server = nats;
    if (server === undefined) throw new Error("nats-server is not started");
    const controllers = await controllersFor(namespace, await publisher("SOAR_INCIDENTS_OUTAGE"));
    await explainFailure(objects, controllers, async () => {
      await readyPlaybook(objects);
      await objects.createIncident("inc", openingSpec());
      await subscriber.waitForTypes([OPENED], "opened");

      server.pause();
      try {
        await objects.updateIncidentSpec("inc", approve("gate"));
        const written = await waitFor(async () => {
          const incident = await objects.incident("inc");
          return incident.status?.playbooks?.[0]?.steps?.find((step) => step.name === "gate")?.phase === "Succeeded" ? incident : undefined;
        }, { ...WAIT, description: "the gate's outcome to be written while NATS hangs" });
        expect(written.status?.published?.runs).toBeUndefined();
        await waitFor(async () => await metricValue(controllers.registry, "soar_incident_events_published_total", { type: STEP_FINISHED, result: "failed" }) >= 1, {
          ...WAIT,
          description: "the publish to give up",
        });
      } finally {
        server.resume();
      }

      await subscriber.waitForTypes([OPENED, STEP_FINISHED], "the gate's outcome once NATS answers");
      await waitFor(async () => (await objects.incident("inc")).status?.published?.runs?.[0]?.steps?.includes("gate") === true, {
        ...WAIT,
        description: "the gate's event to be recorded",
      });
      expect(await storedIds("SOAR_INCIDENTS_OUTAGE")).toEqual(subscriber.deduplicated().map((event) => event.headers["ce-id"]));
    });
  });

  /** The `Nats-Msg-Id` of every message of the stream, in stream order. */
  async function storedIds(stream: string): Promise<string[]> {
    const jsm = await jetstreamManager(natsClient());
    const info = await jsm.streams.info(stream);
    const ids: string[] = [];
    for (let sequence = info.state.first_seq; sequence <= info.state.last_seq; sequence++) {
      const message = await jsm.streams.getMessage(stream, { seq: sequence });
      ids.push(message?.header.get(PubHeaders.MsgIdHdr) ?? "");
    }
    return ids;
  }
});
