import type { KubeConfig, V1Job } from "@kubernetes/client-node";
import { Annotation, Kind, Label } from "../../src/api/v1alpha1/constants.ts";
import { watchNamespace, type NamespaceWatch } from "./namespace-watch.ts";

/** The first sighting of one Job object (one uid) by the ledger's watch. */
export interface JobSighting {
  readonly name: string;
  readonly uid: string;
  /** The Incident that controls the Job (its controller ownerReference), "" when none. */
  readonly incident: string;
  /** The `soar.kube-soar.io/step` label, "" when absent. */
  readonly step: string;
  /** The `soar.kube-soar.io/attempt` annotation, "" when absent. */
  readonly attempt: string;
  /** `Date.now()` when the watch event arrived in this process (millisecond precision). */
  readonly seenAtMs: number;
  readonly job: V1Job;
}

/**
 * A record of every Job ever created in a namespace while it runs: each distinct object
 * (uid) once, with the time its watch event arrived. A Job deleted and created again under
 * the same name shows up as two sightings of one name.
 */
export class JobLedger {
  readonly #sightings: Map<string, JobSighting>;
  readonly #watch: NamespaceWatch<V1Job>;

  private constructor(watch: NamespaceWatch<V1Job>, sightings: Map<string, JobSighting>) {
    this.#watch = watch;
    this.#sightings = sightings;
  }

  /**
   * Starts watching the Jobs of `namespace` and resolves once the existing ones are listed.
   * `onSighting` runs for each new uid as its event arrives.
   */
  static async start(kubeConfig: KubeConfig, namespace: string, onSighting?: (sighting: JobSighting) => void): Promise<JobLedger> {
    const sightings = new Map<string, JobSighting>();
    const record = (job: V1Job): void => {
      const uid = job.metadata?.uid;
      if (uid === undefined || sightings.has(uid)) return;
      const sighting: JobSighting = {
        name: job.metadata?.name ?? "",
        uid,
        incident: job.metadata?.ownerReferences?.find((owner) => owner.kind === Kind.Incident && owner.controller === true)?.name ?? "",
        step: job.metadata?.labels?.[Label.Step] ?? "",
        attempt: job.metadata?.annotations?.[Annotation.Attempt] ?? "",
        seenAtMs: Date.now(),
        job,
      };
      sightings.set(uid, sighting);
      onSighting?.(sighting);
    };
    const watch = await watchNamespace<V1Job>({
      kubeConfig,
      groupPath: "/apis/batch/v1",
      resource: "jobs",
      namespace,
      handler: { onAdd: record, onUpdate: (_old, job) => { record(job); } },
    });
    return new JobLedger(watch, sightings);
  }

  /** Every Job object seen, in the order they were first seen. */
  sightings(): JobSighting[] {
    return [...this.#sightings.values()];
  }

  /** Names under which more than one Job object was seen, with their uids. */
  reusedNames(): Map<string, string[]> {
    const byName = new Map<string, string[]>();
    for (const sighting of this.#sightings.values()) byName.set(sighting.name, [...(byName.get(sighting.name) ?? []), sighting.uid]);
    return new Map([...byName].filter(([, uids]) => uids.length > 1));
  }

  /** The Jobs currently cached. */
  jobs(): V1Job[] {
    return this.#watch.informer.list();
  }

  /** Stops watching; the sightings stay readable. */
  async stop(): Promise<void> {
    await this.#watch.stop();
  }
}
