import { setTimeout as pause } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { FAST_FAILOVER_FLAGS, JobLedger, OperatorTestbed, type JobSighting } from "../support/operator-process.ts";
import { waitFor } from "../support/kube.ts";

const PLAYBOOK = "chaos-response";
const EXIT_CODE = "kwok.kube-soar.io/exit-code";
const TERMINATION_MESSAGE = "kwok.kube-soar.io/termination-message";
const KILLS = 20;
/** One alert (a new Incident) is published before every other kill. */
const INCIDENTS = KILLS / 2;
/** The identity most restarts reuse: the new process renews the dead one's Lease at once. */
const STABLE_IDENTITY = "chaos-stable";

/** A small seeded generator (mulberry32), so a failing schedule can be told apart and replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** When to kill one operator process: while it starts, or a while after it started. */
interface KillMoment {
  identity: string;
  duringStart: boolean;
  delayMs: number;
}

function killSchedule(random: () => number): KillMoment[] {
  return Array.from({ length: KILLS }, (_unused, index) => {
    const duringStart = random() < 0.2;
    return {
      // Now and then a new identity, which must wait for the dead leader's Lease to expire.
      identity: random() < 0.2 ? `chaos-${index}` : STABLE_IDENTITY,
      duringStart,
      delayMs: Math.round(duringStart ? random() * 1_500 : random() * 3_500),
    };
  });
}

describe("chaos: the operator SIGKILLed at random moments while incidents run", () => {
  let bed: OperatorTestbed;
  let ledger: JobLedger;

  beforeAll(async () => {
    bed = await OperatorTestbed.start({ prefix: "chaos", flags: FAST_FAILOVER_FLAGS });
    ledger = await JobLedger.start(bed.kubeConfig, bed.namespace);
  });

  afterAll(async () => {
    await ledger.stop();
    await bed.close();
  });

  it(`finishes every incident after ${KILLS} SIGKILLs, with exactly one Job per step attempt and no Job name reused`, { timeout: 480_000 }, async () => {
    const seed = Date.now() % 1_000_000;
    const schedule = killSchedule(seededRandom(seed));
    onTestFailed(async () => {
      console.log(`chaos seed ${seed}, schedule ${JSON.stringify(schedule)}`);
      console.log(await bed.diagnostics());
    });
    const first = await bed.start(STABLE_IDENTITY);
    await bed.createPlaybook(PLAYBOOK, {
      trigger: bed.trigger(),
      steps: [
        { name: "triage", job: { image: "registry.example.com/soar/triage:1.0.0", podAnnotations: { [TERMINATION_MESSAGE]: JSON.stringify({ verdict: "contain" }) } } },
        {
          name: "flaky",
          needs: ["triage"],
          retries: { limit: 1, backoff: "1s" },
          continueOnError: true,
          job: { image: "registry.example.com/soar/flaky:1.0.0", podAnnotations: { [EXIT_CODE]: "1" } },
        },
        {
          name: "contain",
          needs: ["triage"],
          job: { image: "registry.example.com/soar/containment:1.0.0", env: [{ name: "VERDICT", value: "${{ steps.triage.outputs.verdict }}" }] },
        },
        { name: "report", needs: ["flaky", "contain"], job: { image: "registry.example.com/soar/report:1.0.0", args: ["--incident=${{ incident.name }}"] } },
      ],
    });
    await first.kill();

    const pods: string[] = [];
    let killedLeaders = 0;
    for (const [index, moment] of schedule.entries()) {
      const operator = await bed.spawn(moment.identity);
      if (index % 2 === 0) {
        pods.push(`miner-${pods.length}`);
        await bed.publish(pods.at(-1) ?? "");
      }
      if (!moment.duringStart) await operator.waitUntilStarted();
      // The chaos itself: a random moment to strike, not a wait for a condition.
      await pause(moment.delayMs);
      expect((await operator.kill()).signal).toBe("SIGKILL");
      if ((await operator.logLines()).some((line) => line.msg === "leadership acquired")) killedLeaders++;
    }
    console.log(`chaos seed ${seed}: ${KILLS} SIGKILLs, ${killedLeaders} of them of the leader, ${ledger.sightings().length} Jobs created meanwhile`);
    // Most kills must hit a leader at work, or the test proves little (the schedule makes ~60% likely).
    expect(killedLeaders).toBeGreaterThanOrEqual(5);
    expect(pods).toHaveLength(INCIDENTS);

    await bed.start(STABLE_IDENTITY);
    const finished = await waitFor(
      async () => {
        const incidents = (await bed.incidents()).filter((incident) => pods.includes(incident.spec.resources?.pod ?? ""));
        return incidents.length === INCIDENTS && incidents.every((incident) => incident.status?.phase === "Succeeded") ? incidents : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, description: `all ${INCIDENTS} incidents to succeed` },
    );

    expect(ledger.reusedNames()).toEqual(new Map());
    for (const incident of finished) checkStepJobs(incident, ledger.sightings());
  });
});

/** Every step that ran made exactly one Job per attempt, numbered 1..attempts; outputs flowed on. */
function checkStepJobs(incident: Incident, sightings: readonly JobSighting[]): void {
  const name = incident.metadata.name ?? "";
  const steps = incident.status?.playbooks?.find((run) => run.name === PLAYBOOK)?.steps ?? [];
  expect(incident.status?.occurrences).toBe(1);
  expect(steps.map((step) => [step.name, step.phase, step.attempts])).toEqual([
    ["triage", "Succeeded", 1],
    ["flaky", "Failed", 2],
    ["contain", "Succeeded", 1],
    ["report", "Succeeded", 1],
  ]);
  for (const step of steps) {
    const jobs = sightings.filter((sighting) => sighting.incident === name && sighting.step === step.name);
    const attempts = Array.from({ length: step.attempts ?? 0 }, (_unused, index) => String(index + 1));
    expect({ incident: name, step: step.name, attempts: jobs.map((job) => job.attempt).sort() }).toEqual({ incident: name, step: step.name, attempts });
  }
  const contain = sightings.find((sighting) => sighting.incident === name && sighting.step === "contain");
  expect(contain?.job.spec?.template.spec?.containers[0]?.env).toEqual([{ name: "VERDICT", value: "contain" }]);
}
