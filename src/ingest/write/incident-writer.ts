import { V1ObjectMeta } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import type {
  AffectedResources,
  AlertSourceKind,
  Incident,
  IncidentEvent,
  Severity,
} from "../../api/v1alpha1/types.generated.ts";
import type { RuntimeClock, TimerHandle } from "../../runtime/clock.ts";
import { isConflict, isNotFound } from "../../runtime/errors.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { Semaphore } from "../intake-semaphore.ts";
import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { foldEvents, isOpen, mergeObservables, type FoldEffect, type FoldEvent } from "./incident-writer-fold.ts";
import { generationName } from "../identity/incident-name.ts";
import type { IncidentStore } from "./incident-writer-store.ts";

/** Where an alert lands: one Incident identity in one namespace. */
export interface IncidentTarget {
  namespace: string;
  /** The name of the identity's first Incident; later ones get `-2`, `-3`, ... */
  baseName: string;
  /** `spec.fingerprint`: the dedup identity (the alert's fingerprint, or a hash of a Playbook's dedup key). */
  fingerprint: string;
  /** An Incident whose last event is older than this stops taking new events. */
  windowMs: number;
  /** Matched Playbooks of this namespace, pinned in `spec.playbooks` when the Incident is opened. */
  playbooks: readonly string[];
}

/**
 * The spec fields an Incident opened for an alert takes from the alert (already redacted and
 * bounded); the writer adds the fingerprint, the opening occurrence and the Playbooks.
 */
export interface IncidentSpecFromAlert {
  severity: Severity;
  title: string;
  sourceKind: AlertSourceKind;
  event: IncidentEvent;
  resources: AffectedResources;
}

/** One alert to record on one target. */
export interface WriteRequest {
  target: IncidentTarget;
  spec: IncidentSpecFromAlert;
  fold: FoldEvent;
}

/** What recording an alert did. */
export type WriteOutcome =
  /** Opened a new Incident (this event is its first occurrence). */
  | { result: "created"; name: string }
  /** Counted as one more occurrence of an open Incident. */
  | { result: "folded"; name: string }
  /** Already recorded (a redelivery): nothing changed. */
  | { result: "duplicate"; name: string }
  /** A resolved alert recorded on the open Incident. */
  | { result: "resolved"; name: string }
  /** A resolved alert with no open Incident to record it on: nothing to do. */
  | { result: "no-open-incident" };

/** Options of {@link IncidentWriter}. */
export interface IncidentWriterOptions {
  store: IncidentStore;
  clock: RuntimeClock;
  logger: Logger;
  metrics: IntakeMetrics;
  /** Writes for one Incident are at least this far apart; events arriving meanwhile share the next write. */
  foldIntervalMs: number;
  /** Incident writes in flight at once across all Incidents. */
  concurrency: number;
  /** Incidents remembered (with their resourceVersion) to skip a read before folding. */
  cacheEntries?: number;
}

interface Pending {
  request: WriteRequest;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

interface KeyState {
  pending: Pending[];
  writing: boolean;
  /** Clock time (ms) when the last write for this key ended. */
  lastWriteAt: number | undefined;
  timer: TimerHandle | undefined;
}

/** Where an identity's chain of Incidents stands, as this replica has walked it. */
interface Chain {
  /** The generation new events go to (1 until the first Incident is resolved, closed or idle). */
  generation: number;
  /** Events counted by the earlier, closed generations: a redelivery of one is not counted again. */
  closedHashes: Set<string>;
}

/** Attempts at one batch before giving up with the last error (conflicts, chain steps). */
const MAX_ATTEMPTS = 12;

/** The generation chain is walked at most this far in one batch. */
const MAX_GENERATION_STEPS = 64;

class LruMap<K, V> {
  readonly #limit: number;
  readonly #map = new Map<K, V>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#limit) {
      const oldest = this.#map.keys().next();
      if (oldest.done !== true) this.#map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#map.delete(key);
  }
}

/**
 * The parts of an Incident the writer needs later: identity, resourceVersion, state, fingerprint
 * and status. The stored event's data (up to the event bound) and managed fields are dropped, so
 * the cache stays small; a status update ignores the spec it is sent with anyway.
 */
export function slim(incident: Incident): Incident {
  const metadata = Object.assign(new V1ObjectMeta(), incident.metadata);
  delete metadata.managedFields;
  const spec: Incident["spec"] = { ...incident.spec };
  if (spec.event !== undefined) {
    const event = { ...spec.event };
    delete event.data;
    spec.event = event;
  }
  return { ...incident, metadata, spec };
}

/**
 * The Incident object opened for a request, named `name`. The API server drops status on
 * create, so the opening occurrence is pinned in `spec.opening` (see `occurrenceStatus`): one
 * write opens an Incident.
 */
export function newIncident(request: WriteRequest, name: string): Incident {
  const { target, fold } = request;
  const fromAlert = request.spec;
  const spec: Incident["spec"] = {
    severity: fromAlert.severity,
    title: fromAlert.title,
    fingerprint: target.fingerprint,
    source: { kind: fromAlert.sourceKind },
    event: fromAlert.event,
    resources: fromAlert.resources,
    opening: {
      receivedAt: fold.time,
      eventKey: fold.hash,
      ...(fold.observables.length === 0 ? {} : { observables: mergeObservables([], fold.observables) }),
    },
  };
  if (target.playbooks.length > 0) spec.playbooks = [...target.playbooks];
  return {
    apiVersion: API_VERSION,
    kind: Kind.Incident,
    metadata: Object.assign(new V1ObjectMeta(), { name, namespace: target.namespace }),
    spec,
  };
}

/**
 * Records alerts on Incidents, at most one write per Incident per `foldIntervalMs`:
 * - the first alert of an identity creates `<baseName>` with its occurrence pinned in
 *   `spec.opening`, in one write (a concurrent create by another replica turns into a fold after
 *   the 409); alerts batched with it are folded into its status in a second write;
 * - alerts arriving while a write for the same Incident is in flight or too recent wait and are
 *   folded together in the next status write, with optimistic concurrency on resourceVersion
 *   (a 409 re-reads and retries in place);
 * - an alert whose event is already in `recentEvents` (or is the opening one) is a duplicate and
 *   changes nothing;
 * - an Incident resolved, closed or idle beyond its window takes no more events: the next
 *   generation (`<baseName>-2`, ...) is used, so every replica and every redelivery finds the
 *   same Incident.
 * `submit` resolves once the write that covers the alert is durable and rejects with the API
 * error when it could not be made (the caller retries the delivery).
 */
export class IncidentWriter {
  readonly #options: IncidentWriterOptions;
  readonly #slots: Semaphore;
  readonly #keys = new Map<string, KeyState>();
  readonly #known: LruMap<string, Incident>;
  readonly #chains: LruMap<string, Chain>;

  constructor(options: IncidentWriterOptions) {
    if (!Number.isFinite(options.foldIntervalMs) || options.foldIntervalMs < 0) {
      throw new RangeError(`intake.foldIntervalMs must be a finite number >= 0, got ${String(options.foldIntervalMs)}`);
    }
    this.#options = options;
    this.#slots = new Semaphore(Math.max(1, options.concurrency));
    this.#known = new LruMap(options.cacheEntries ?? 10_000);
    this.#chains = new LruMap(options.cacheEntries ?? 10_000);
  }

  /** Records one alert on its target; see the class comment. */
  submit(request: WriteRequest): Promise<WriteOutcome> {
    const key = `${request.target.namespace}/${request.target.baseName}`;
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { pending: [], writing: false, lastWriteAt: undefined, timer: undefined };
      this.#keys.set(key, state);
    }
    const entry = state;
    return new Promise<WriteOutcome>((resolve, reject) => {
      entry.pending.push({ request, resolve, reject });
      this.#schedule(key, entry);
    });
  }

  /** Incident identities with a write pending, in flight or in their fold interval. */
  get activeKeys(): number {
    return this.#keys.size;
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }

  #schedule(key: string, state: KeyState): void {
    if (state.writing || state.timer !== undefined) return;
    if (state.pending.length === 0) {
      // Idle: forget the key once its fold interval is over.
      const idleFor = state.lastWriteAt === undefined ? Infinity : this.#now() - state.lastWriteAt;
      if (idleFor >= this.#options.foldIntervalMs) {
        this.#keys.delete(key);
        return;
      }
      state.timer = this.#options.clock.setTimer(this.#options.foldIntervalMs - idleFor, () => {
        state.timer = undefined;
        this.#schedule(key, state);
      });
      return;
    }
    const wait = state.lastWriteAt === undefined ? 0 : state.lastWriteAt + this.#options.foldIntervalMs - this.#now();
    if (wait > 0) {
      state.timer = this.#options.clock.setTimer(wait, () => {
        state.timer = undefined;
        this.#schedule(key, state);
      });
      return;
    }
    void this.#flush(key, state);
  }

  async #flush(key: string, state: KeyState): Promise<void> {
    state.writing = true;
    await this.#slots.acquire();
    const batch = state.pending.splice(0);
    try {
      const outcomes = await this.#writeBatch(key, batch.map((pending) => pending.request));
      batch.forEach((pending, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined) pending.reject(new Error("incident writer lost an outcome"));
        else pending.resolve(outcome);
      });
    } catch (error: unknown) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#slots.release();
      state.writing = false;
      state.lastWriteAt = this.#now();
      this.#schedule(key, state);
    }
  }

  /** Writes one batch for one identity; returns one outcome per request, in order. */
  async #writeBatch(key: string, requests: readonly WriteRequest[]): Promise<WriteOutcome[]> {
    const { store, metrics, logger } = this.#options;
    const first = requests[0];
    if (first === undefined) return [];
    const { namespace, baseName } = first.target;
    const outcomes: (WriteOutcome | undefined)[] = requests.map(() => undefined);
    let remaining = requests.map((request, index) => ({ request, index }));
    const chain = this.#chains.get(key) ?? { generation: 1, closedHashes: new Set<string>() };
    let lastError: unknown;
    let steps = 0;
    /** The Incident this batch created, if any: its first counted event is the one that opened it. */
    let created: string | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt++) {
      const name = generationName(baseName, chain.generation);
      // Events an earlier, closed generation already counted are redeliveries: never counted again.
      remaining = remaining.filter((item) => {
        if (!chain.closedHashes.has(item.request.fold.hash)) return true;
        outcomes[item.index] = { result: "duplicate", name };
        return false;
      });
      if (remaining.length === 0) break;
      const knownKey = `${namespace}/${name}`;
      let incident = this.#known.get(knownKey);
      if (incident === undefined) {
        const opener = remaining.find((item) => item.request.fold.alertStatus === "firing");
        if (opener === undefined) {
          incident = await store.get(namespace, name);
          if (incident === undefined) {
            for (const item of remaining) outcomes[item.index] = { result: "no-open-incident" };
            remaining = [];
            break;
          }
        } else {
          try {
            incident = await store.create(newIncident(opener.request, name));
            created = name;
            metrics.incidentsCreated.inc({ severity: opener.request.spec.severity });
            logger.info({ namespace, incident: name, severity: opener.request.spec.severity }, "incident created");
            outcomes[opener.index] = { result: "created", name };
            remaining = remaining.filter((item) => item !== opener);
            this.#known.set(knownKey, slim(incident));
            this.#chains.set(key, chain);
            if (remaining.length === 0) break;
          } catch (error: unknown) {
            if (!isConflict(error)) throw error;
            incident = await store.get(namespace, name);
            if (incident === undefined) continue;
          }
        }
      }
      const nowMs = this.#now();
      const windowMs = Math.min(...remaining.map((item) => item.request.target.windowMs));
      const ours = incident.spec.fingerprint === first.target.fingerprint;
      if (created !== name && (!ours || !isOpen(incident, nowMs, windowMs))) {
        // Redeliveries of events it already counted stay with it; the rest go to the next
        // generation. A name taken by another fingerprint (a hash prefix collision) is skipped too.
        if (ours) for (const hash of occurrenceStatus(incident).recentEvents ?? []) chain.closedHashes.add(hash);
        this.#known.set(knownKey, slim(incident));
        if (++steps > MAX_GENERATION_STEPS) throw new Error(`incident ${namespace}/${baseName}: more than ${String(MAX_GENERATION_STEPS)} closed generations`);
        chain.generation++;
        this.#chains.set(key, chain);
        attempt--;
        continue;
      }
      const fold = foldEvents(occurrenceStatus(incident), remaining.map((item) => item.request.fold));
      if (!fold.changed) {
        for (const item of remaining) outcomes[item.index] = { result: "duplicate", name };
        this.#known.set(knownKey, slim(incident));
        remaining = [];
        break;
      }
      try {
        const updated = await store.replaceStatus({ ...incident, status: fold.status });
        this.#known.set(knownKey, slim(updated));
        this.#chains.set(key, chain);
        this.#record(remaining, fold.effects, name, outcomes);
        remaining = [];
      } catch (error: unknown) {
        this.#known.delete(knownKey);
        lastError = error;
        if (isConflict(error)) {
          const fresh = await store.get(namespace, name);
          if (fresh !== undefined) this.#known.set(knownKey, slim(fresh));
          continue;
        }
        // Deleted since it was read: open it again under the same name.
        if (isNotFound(error)) continue;
        throw error;
      }
    }
    if (remaining.length > 0) {
      throw new Error(`incident ${namespace}/${baseName}: gave up after ${String(MAX_ATTEMPTS)} attempts`, { cause: lastError });
    }
    return outcomes.map((outcome) => outcome ?? { result: "no-open-incident" });
  }

  #record(items: readonly { index: number }[], effects: readonly FoldEffect[], name: string, outcomes: (WriteOutcome | undefined)[]): void {
    let folded = 0;
    items.forEach((item, position) => {
      const effect = effects[position];
      if (effect === "counted") {
        folded++;
        outcomes[item.index] = { result: "folded", name };
        return;
      }
      outcomes[item.index] = { result: effect === "resolved" ? "resolved" : "duplicate", name };
    });
    if (folded > 0) this.#options.metrics.duplicatesFolded.inc(folded);
  }
}
