import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Incident, Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { JobClient } from "../../steps/job/job-client.ts";
import type { JobManifest } from "../../steps/job/job-manifest.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { PlaybookCompiler } from "../../playbook/index.ts";
import { createGuardMetrics, type RunHistory } from "../../policy/index.ts";
import type { ReconcileContext } from "../../runtime/controller.ts";
import type { RecordedEvent } from "../event-recorder.ts";
import { guardPolicyOf } from "../../policy/index.ts";
import { incidentMetrics } from "./incident-metrics.ts";
import { IncidentReconciler, type IncidentReconcilerDeps } from "./incident-reconciler.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import { unused } from "../../testing/unused.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { LifecycleAnnouncer, PUBLISH_RETRY_INITIAL_MS, PUBLISH_RETRY_MAX_MS } from "../lifecycle-events/lifecycle-announcer.ts";
import type { LifecycleEventSink } from "../lifecycle-events/lifecycle-event-sink.ts";
import { TransientError } from "../../runtime/errors.ts";

const now = FIXED_NOW;
const logger = silentLogger;

const playbook: Playbook = {
  apiVersion: API_VERSION,
  kind: "Playbook",
  metadata: { name: "pb", namespace: "ns", uid: "pb-uid", generation: 1, creationTimestamp: new Date("2026-01-01T00:00:00Z") },
  spec: { trigger: { types: ["t"] }, steps: [{ name: "collect", job: { image: "registry.invalid/collect:1" } }] },
  status: {
    observedGeneration: 1,
    conditions: [{ type: "Ready", status: "True", reason: "Succeeded", message: "ready", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 }],
  },
};

function newIncident(severity: Incident["spec"]["severity"] = "high"): Incident {
  return {
    apiVersion: API_VERSION,
    kind: "Incident",
    metadata: { name: "inc", namespace: "ns", uid: "inc-uid", generation: 1, resourceVersion: "100" },
    spec: { severity, title: "t", fingerprint: "f", source: { kind: "falco" }, playbooks: ["pb"] },
  };
}

/**
 * A world whose cache never moves past the Incident as created: only the status writes (which
 * answer with the stored object and a new resourceVersion) carry state forward.
 */
function world(given: {
  playbook?: Playbook;
  history?: RunHistory;
  severity?: Incident["spec"]["severity"];
  criticalReservePercent?: number;
  /** Where lifecycle events go; `journal` also records each status write, to show the order. */
  lifecycleEvents?: LifecycleEventSink;
  journal?: string[];
  /** The status write (counted from 1) that fails with a conflict. */
  conflictOnWrite?: number;
  /** The cache moves to each stored object, as if the watch brought every write back at once. */
  followWrites?: boolean;
} = {}) {
  let cached = newIncident(given.severity);
  let attempts = 0;
  const writes: Incident[] = [];
  const created: JobManifest[] = [];
  const events: RecordedEvent[] = [];
  let resourceVersion = 100;
  const jobs: JobClient = {
    ensure: (manifest) => {
      given.journal?.push("job");
      created.push(manifest);
      return Promise.resolve({ kind: "created", job: manifest });
    },
    get: () => Promise.resolve(undefined),
    pods: () => Promise.resolve([]),
  };
  const registry = new Registry();
  const deps: IncidentReconcilerDeps = {
    incident: () => cached,
    playbook: () => given.playbook ?? playbook,
    cachedJob: () => undefined,
    jobs,
    criticalReservePercent: given.criticalReservePercent ?? 0,
    writeStatus: (object) => {
      attempts++;
      if (attempts === given.conflictOnWrite) return Promise.reject(new TransientError("StatusConflict", "status changed since it was read"));
      given.journal?.push("write");
      writes.push(structuredClone(object) as unknown as Incident);
      resourceVersion++;
      const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(resourceVersion) } };
      if (given.followWrites === true) cached = structuredClone(stored) as unknown as Incident;
      return Promise.resolve(stored);
    },
    events: { record: (_subject, event) => { events.push(event); }, drain: () => Promise.resolve() },
    compiler: new PlaybookCompiler(createExpressionCompiler()),
    metrics: incidentMetrics(registry),
    clock: { now: () => now },
    dryRun: false,
    paused: false,
    calls: unused<IncidentReconcilerDeps["calls"]>("calls"),
    guardPolicy: guardPolicyOf({ dryRun: false, namespace: "kube-soar-system", protectedNamespaces: [] }),
    guardMetrics: createGuardMetrics(registry),
    approvalsTenancy: () => ({ verified: true }),
    history: () => given.history ?? { otherRunStarts: [], otherActiveIncidents: 0 },
    undo: unused<IncidentReconcilerDeps["undo"]>("undo"),
    announcer: given.lifecycleEvents === undefined ? undefined : new LifecycleAnnouncer(given.lifecycleEvents, registry),
  };
  return { reconciler: new IncidentReconciler(deps), writes, created, events, registry };
}

const context: ReconcileContext = { reconcileID: "r1", logger, signal: new AbortController().signal };

describe("IncidentReconciler", () => {
  it("creates a step's Job in the same reconcile that records its intent, after the intent is durable", async () => {
    const { reconciler, writes, created, events } = world();
    await reconciler.reconcile("ns/inc", context);

    expect(created.map((job) => job.metadata?.name)).toHaveLength(1);
    expect(writes).toHaveLength(2);
    const intentWrite = writes[0]?.status?.playbooks?.[0]?.steps?.[0];
    expect(intentWrite).toMatchObject({ name: "collect", phase: "Running", intent: { attempt: 1 } });
    expect(intentWrite?.job).toBeUndefined();
    // The second write is based on the first one's answer, not on the stale cache.
    expect(writes[1]?.metadata.resourceVersion).toBe("101");
    expect(writes[1]?.status?.playbooks?.[0]?.steps?.[0]).toMatchObject({ phase: "Running", job: created[0]?.metadata?.name });
    expect(events.map((event) => event.reason)).toEqual(expect.arrayContaining(["RunStarted", "StepStarted"]));
  });

  it("does nothing on a cache its own writes have replaced, and runs again once the cache moves on", async () => {
    const { reconciler, writes, created } = world();
    await reconciler.reconcile("ns/inc", context);
    await reconciler.reconcile("ns/inc", context);
    expect(writes).toHaveLength(2);
    expect(created).toHaveLength(1);
  });

  // Before, a run over these limits started, its Job steps ran and its first action, connector
  // or notify step was Blocked. Now the run is refused at start: nothing of it runs.
  it.each([
    {
      limit: "rateLimit",
      spec: { rateLimit: { runs: 1, window: "10m" } },
      history: { otherRunStarts: [new Date(now.getTime() - 60_000)], otherActiveIncidents: 0 },
      reason: "RateLimited",
      message: "Playbook pb already started 1 run in the last 10m (rateLimit: 1 per 10m); the run was not started",
    },
    {
      limit: "maxActiveIncidents",
      spec: { maxActiveIncidents: 1 },
      history: { otherRunStarts: [], otherActiveIncidents: 1 },
      reason: "TooManyActiveIncidents",
      message: "Playbook pb already has 1 other Incident with a run in progress (maxActiveIncidents 1); the run was not started",
    },
  ])("skips a run over the Playbook's $limit: no Job, a Warning and a counted refusal", async ({ limit, spec, history, reason, message }) => {
    const limited: Playbook = { ...playbook, spec: { ...playbook.spec, ...spec } };
    const { reconciler, writes, created, events, registry } = world({ playbook: limited, history });
    await reconciler.reconcile("ns/inc", context);

    expect(created).toEqual([]);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.status?.playbooks).toEqual([{ name: "pb", phase: "Skipped", finishedAt: now.toISOString(), message }]);
    expect(writes[0]?.status?.phase).toBe("Succeeded");
    expect(writes[0]?.status?.timeline?.map((entry) => entry.reason)).toContain(reason);
    expect(events).toContainEqual({ type: "Warning", reason, message: `pb: ${message}` });
    expect(await registry.metrics()).toContain(`soar_guard_refusals_total{guard="${limit}"} 1`);
  });

  // Forged alerts below critical opened Incidents whose runs wait forever (say, for an approval)
  // until they fill the cap; a genuine critical alert must still get its run.
  it("starts the run of a critical Incident when Incidents below critical have filled all but the critical reserve of maxActiveIncidents", async () => {
    const capped: Playbook = { ...playbook, spec: { ...playbook.spec, maxActiveIncidents: 5 } };
    const forgedFill = { otherRunStarts: [], otherActiveIncidents: 3 };
    const forged = world({ playbook: capped, history: forgedFill, severity: "high", criticalReservePercent: 40 });
    await forged.reconciler.reconcile("ns/inc", context);
    expect(forged.created).toEqual([]);
    expect(forged.writes[0]?.status?.playbooks?.[0]).toMatchObject({ phase: "Skipped" });
    expect(forged.writes[0]?.status?.playbooks?.[0]?.message).toContain("the last 2 are kept for critical Incidents");

    const genuine = world({ playbook: capped, history: forgedFill, severity: "critical", criticalReservePercent: 40 });
    await genuine.reconciler.reconcile("ns/inc", context);
    expect(genuine.created).toHaveLength(1);
    expect(genuine.events.map((event) => event.reason)).toContain("RunStarted");
  });

  describe("lifecycle events", () => {
    function journalSink(journal: string[], refuse = false): LifecycleEventSink {
      return {
        publish: (event) => {
          if (refuse) return Promise.reject(new Error("NATS is not connected"));
          journal.push(`publish ${event.id}`);
          return Promise.resolve("published");
        },
      };
    }

    it("publishes opened after the step's side effect and before the status write that records it, with no write of its own", async () => {
      const journal: string[] = [];
      const { reconciler, writes } = world({ lifecycleEvents: journalSink(journal), journal });
      await reconciler.reconcile("ns/inc", context);
      expect(journal).toEqual(["write", "job", "publish inc-uid/opened", "write"]);
      expect(writes[0]?.status?.published).toBeUndefined();
      expect(writes[1]?.status?.published).toEqual({ opened: true, occurrences: 0, severity: "high" });
      expect(writes).toHaveLength(2);
    });

    it("writes the rest of the status when NATS refuses, keeps the event pending and looks again after a backoff", async () => {
      const { reconciler, writes } = world({ lifecycleEvents: journalSink([], true) });
      const result = await reconciler.reconcile("ns/inc", context);
      expect(writes.map((write) => write.status?.published)).toEqual([undefined, undefined]);
      expect(writes[1]?.status?.playbooks?.[0]?.steps?.[0]).toMatchObject({ phase: "Running" });
      // Each pass of the reconcile tried once: the backoff grew from its first step.
      expect(result.requeueAfter).toBeGreaterThanOrEqual(PUBLISH_RETRY_INITIAL_MS);
      expect(result.requeueAfter).toBeLessThanOrEqual(PUBLISH_RETRY_MAX_MS);
    });

    it("records, without publishing again, an event whose first status write met a conflict", async () => {
      const journal: string[] = [];
      // The first write records the Job step's intent; the second, after the Job and the publish, conflicts.
      const { reconciler, writes } = world({ lifecycleEvents: journalSink(journal), journal, conflictOnWrite: 2, followWrites: true });
      await expect(reconciler.reconcile("ns/inc", context)).rejects.toThrow(TransientError);
      expect(journal).toEqual(["write", "job", "publish inc-uid/opened"]);
      await reconciler.reconcile("ns/inc", context);
      expect(journal.filter((entry) => entry.startsWith("publish"))).toEqual(["publish inc-uid/opened"]);
      expect(writes.at(-1)?.status?.published?.opened).toBe(true);
    });
  });
});
