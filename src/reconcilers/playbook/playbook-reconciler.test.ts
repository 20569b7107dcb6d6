import { describe, expect, it } from "vitest";
import type { Incident, Playbook, PlaybookRunPhase } from "../../api/v1alpha1/types.generated.ts";
import { EXECUTABLE_STEP_KINDS } from "../../steps/step-kinds.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { PlaybookCompiler } from "../../playbook/index.ts";
import { ManualClock } from "../../testing/manual-clock.ts";
import type { ReconcileContext } from "../../runtime/controller.ts";
import type { RecordedEvent } from "../event-recorder.ts";
import type { StatusWriter } from "../status-writer.ts";
import { PlaybookReconciler } from "./playbook-reconciler.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";

const context: ReconcileContext = { reconcileID: "r1", logger: silentLogger, signal: new AbortController().signal };

function incident(name: string, phase: PlaybookRunPhase): Incident {
  return anIncident({
    metadata: { name },
    spec: { fingerprint: name, playbooks: ["pb"] },
    status: { occurrences: 1, lastSeen: "2026-03-01T12:00:00Z", playbooks: [{ name: "pb", phase }] },
  });
}

/** A Playbook whose cache follows the reconciler's writes, and Incidents the test changes. */
function world() {
  const clock = new ManualClock(FIXED_NOW);
  let version = 1;
  let cached: Playbook = {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: { name: "pb", namespace: "ns", uid: "pb-uid", generation: 1, resourceVersion: String(version) },
    spec: { trigger: { types: ["t"] }, steps: [{ name: "a", job: { image: "registry.invalid/a:1" } }] },
  };
  const incidents: Incident[] = [];
  const writes: Playbook[] = [];
  const events: RecordedEvent[] = [];
  const writeStatus: StatusWriter = (object) => {
    version++;
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(version) } };
    writes.push(structuredClone(stored) as unknown as Playbook);
    cached = structuredClone(stored) as unknown as Playbook;
    return Promise.resolve(stored);
  };
  const reconciler = new PlaybookReconciler({
    playbook: () => cached,
    connectorExists: () => true,
    serviceAccountExists: () => true,
    tenancy: () => ({ verified: true }),
    compiler: new PlaybookCompiler(createExpressionCompiler()),
    stepKinds: EXECUTABLE_STEP_KINDS,
    writeStatus,
    events: { record: (_, event) => void events.push(event), drain: () => Promise.resolve() },
    clock,
    incidents: () => incidents,
    activityRefreshMs: 5_000,
  });
  /** A user's edit of the spec: a new generation and resourceVersion in the cache. */
  const edit = (change: (playbook: Playbook) => void): void => {
    version++;
    change(cached);
    cached.metadata.generation = (cached.metadata.generation ?? 1) + 1;
    cached.metadata.resourceVersion = String(version);
  };
  return { reconciler, clock, incidents, writes, events, edit };
}

describe("PlaybookReconciler activity", () => {
  it("writes a change of activity alone at most once per refresh interval, requeueing until then", async () => {
    const { reconciler, clock, incidents, writes } = world();
    incidents.push(incident("i1", "Running"));
    await reconciler.reconcile("ns/pb", context);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.status).toMatchObject({ activeIncidents: 1, lastTriggeredAt: "2026-03-01T12:00:00Z", stepCount: 1 });

    incidents.push(incident("i2", "Running"));
    clock.advance(1_000);
    expect(await reconciler.reconcile("ns/pb", context)).toEqual({ requeueAfter: 4_000 });
    expect(writes).toHaveLength(1);

    clock.advance(4_000);
    expect(await reconciler.reconcile("ns/pb", context)).toEqual({});
    expect(writes).toHaveLength(2);
    expect(writes[1]?.status?.activeIncidents).toBe(2);
  });

  it("writes a change of readiness at once, whatever the activity interval", async () => {
    const { reconciler, clock, incidents, writes, edit } = world();
    await reconciler.reconcile("ns/pb", context);
    incidents.push(incident("i1", "AwaitingApproval"));
    clock.advance(100);
    edit((playbook) => {
      playbook.spec.steps = [{ name: "a", when: "evnt.x == 1", job: { image: "registry.invalid/a:1" } }];
    });
    expect(await reconciler.reconcile("ns/pb", context)).toEqual({});
    expect(writes).toHaveLength(2);
    expect(writes[1]?.status).toMatchObject({ activeIncidents: 1, observedGeneration: 2 });
    expect(writes[1]?.status?.conditions?.find((condition) => condition.type === "Ready")?.status).toBe("False");
  });
});

describe("PlaybookReconciler warnings", () => {
  it("writes warnings to status with one Warning Event while Ready, and removes them when fixed", async () => {
    const { reconciler, writes, events, edit } = world();
    edit((playbook) => {
      playbook.spec.steps = [{ name: "a", job: { image: "registry.invalid/a:1", command: ["sh", "-c", "echo ${{ incident.title }}"] } }];
    });
    await reconciler.reconcile("ns/pb", context);
    const warning = "spec.steps[0].job.command[2]: ${{ incident.title }} inside a shell script is run as shell code; use ${{ shellQuote(incident.title) }} or pass the value as an argument or environment variable";
    expect(writes[0]?.status?.warnings).toEqual([warning]);
    expect(writes[0]?.status?.conditions?.find((condition) => condition.type === "Ready")?.status).toBe("True");
    expect(events).toContainEqual({ type: "Warning", reason: "TemplateInShellScript", message: warning });

    edit((playbook) => {
      playbook.spec.steps = [{ name: "a", job: { image: "registry.invalid/a:1", command: ["sh", "-c", "echo ${{ shellQuote(incident.title) }}"] } }];
    });
    const before = events.length;
    await reconciler.reconcile("ns/pb", context);
    expect(writes).toHaveLength(2);
    expect(writes[1]?.status).not.toHaveProperty("warnings");
    expect(events.slice(before).filter((event) => event.type === "Warning")).toEqual([]);
  });
});
