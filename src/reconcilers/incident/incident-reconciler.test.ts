import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Incident, Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { JobClient } from "../../steps/job/job-client.ts";
import type { JobManifest } from "../../steps/job/job-manifest.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { PlaybookCompiler } from "../../playbook/index.ts";
import { createGuardMetrics } from "../../policy/index.ts";
import type { ReconcileContext } from "../../runtime/controller.ts";
import type { RecordedEvent } from "../event-recorder.ts";
import { guardPolicyOf } from "../../policy/index.ts";
import { incidentMetrics } from "./incident-metrics.ts";
import { IncidentReconciler, type IncidentReconcilerDeps } from "./incident-reconciler.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import { unused } from "../../testing/unused.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";

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

function newIncident(): Incident {
  return {
    apiVersion: API_VERSION,
    kind: "Incident",
    metadata: { name: "inc", namespace: "ns", uid: "inc-uid", generation: 1, resourceVersion: "100" },
    spec: { severity: "high", title: "t", fingerprint: "f", source: { kind: "falco" }, playbooks: ["pb"] },
  };
}

/**
 * A world whose cache never moves past the Incident as created: only the status writes (which
 * answer with the stored object and a new resourceVersion) carry state forward.
 */
function world() {
  const cached = newIncident();
  const writes: Incident[] = [];
  const created: JobManifest[] = [];
  const events: RecordedEvent[] = [];
  let resourceVersion = 100;
  const jobs: JobClient = {
    ensure: (manifest) => {
      created.push(manifest);
      return Promise.resolve({ kind: "created", job: manifest });
    },
    get: () => Promise.resolve(undefined),
    pods: () => Promise.resolve([]),
  };
  const registry = new Registry();
  const deps: IncidentReconcilerDeps = {
    incident: () => cached,
    playbook: () => playbook,
    cachedJob: () => undefined,
    jobs,
    writeStatus: (object) => {
      writes.push(structuredClone(object) as unknown as Incident);
      resourceVersion++;
      return Promise.resolve({ ...object, metadata: { ...object.metadata, resourceVersion: String(resourceVersion) } });
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
    history: () => ({ otherRunStarts: [], otherActiveIncidents: 0 }),
    undo: unused<IncidentReconcilerDeps["undo"]>("undo"),
  };
  return { reconciler: new IncidentReconciler(deps), writes, created, events };
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
});
