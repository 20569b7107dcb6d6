import { LruCache } from "../../collections/lru-cache.ts";
import type { Logger } from "pino";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { countedEventKey } from "../../api/v1alpha1/counted-events.ts";
import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import type { RuntimeClock } from "../../runtime/clock.ts";
import { isConflict, isNotFound } from "../../runtime/errors.ts";
import { generationName } from "../identity/incident-name.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { newIncident, slim } from "./incident-objects.ts";
import { countedKeys, foldEvents, isFull, isOpen, type FoldEffect } from "./incident-writer-fold.ts";
import type { IncidentStore } from "./incident-writer-store.ts";
import { KeyedBatcher } from "./keyed-batcher.ts";
import type { CreationClaim, CreationGrant } from "./creation-budget.ts";
import type { WriteOutcome, WriteRequest } from "./write-request.ts";

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
  /** Asked before each new Incident whose request carries a claim; none limits nothing. */
  budget?: { claim(claim: CreationClaim): CreationGrant };
}

/** Where an identity's chain of Incidents stands, as this replica has walked it. */
interface Chain {
  /** The generation new events go to (1 until the first Incident is resolved, closed, full or idle). */
  generation: number;
  /** Events (`countedEventKey`) counted by the earlier, closed generations: a redelivery of one is not counted again. */
  closedKeys: Set<string>;
}

/** Attempts at one batch before giving up with the last error (conflicts, chain steps). */
const MAX_ATTEMPTS = 12;

/** The generation chain is walked at most this far in one batch. */
const MAX_GENERATION_STEPS = 64;

/**
 * Records alerts on Incidents, at most one write per Incident per `foldIntervalMs`:
 * - the first alert of an identity creates `<baseName>` with its occurrence pinned in
 *   `spec.opening`, in one write (a concurrent create by another replica turns into a fold after
 *   the 409); alerts batched with it are folded into its status in a second write;
 * - alerts arriving while a write for the same Incident is in flight or too recent wait and are
 *   folded together in the next status write, with optimistic concurrency on resourceVersion
 *   (a 409 re-reads and retries in place);
 * - an alert whose event is already in `countedEvents` (or is the opening one) is a duplicate and
 *   changes nothing, however long after it was counted;
 * - an Incident resolved, closed, full or idle beyond its window takes no more events: the next
 *   generation (`<baseName>-2`, ...) is used, so every replica and every redelivery finds the
 *   same Incident;
 * - a new Incident (any generation) for a request with a creation claim is opened only when the
 *   budget grants it (its tokens are given back after a 409 or a failed create); when refused,
 *   the Incident is read, and folded into if it exists after all, else the firing alerts of the
 *   batch come out `over-budget` and nothing is written.
 * `submit` resolves once the write that covers the alert is durable and rejects with the API
 * error when it could not be made (the caller retries the delivery).
 */
export class IncidentWriter {
  readonly #options: IncidentWriterOptions;
  readonly #batches: KeyedBatcher<WriteRequest, WriteOutcome>;
  readonly #known: LruCache<string, Incident>;
  readonly #chains: LruCache<string, Chain>;

  constructor(options: IncidentWriterOptions) {
    if (!Number.isFinite(options.foldIntervalMs) || options.foldIntervalMs < 0) {
      throw new RangeError(`intake.foldIntervalMs must be a finite number >= 0, got ${String(options.foldIntervalMs)}`);
    }
    this.#options = options;
    this.#batches = new KeyedBatcher({
      clock: options.clock,
      intervalMs: options.foldIntervalMs,
      concurrency: options.concurrency,
      write: (key, requests) => this.#writeBatch(key, requests),
    });
    this.#known = new LruCache(options.cacheEntries ?? 10_000);
    this.#chains = new LruCache(options.cacheEntries ?? 10_000);
  }

  /** Records one alert on its target; see the class comment. */
  submit(request: WriteRequest): Promise<WriteOutcome> {
    return this.#batches.submit(`${request.target.namespace}/${request.target.baseName}`, request);
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }

  /** Writes one batch for one identity; returns one outcome per request, in order. */
  async #writeBatch(key: string, requests: readonly WriteRequest[]): Promise<WriteOutcome[]> {
    const { store, metrics, logger } = this.#options;
    const first = requests[0];
    if (first === undefined) return [];
    const { namespace, baseName } = first.target;
    const outcomes: (WriteOutcome | undefined)[] = requests.map(() => undefined);
    let remaining = requests.map((request, index) => ({ request, index }));
    const chain = this.#chains.get(key) ?? { generation: 1, closedKeys: new Set<string>() };
    let lastError: unknown;
    let steps = 0;
    /** The Incident this batch created, if any: its first counted event is the one that opened it. */
    let created: string | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt++) {
      const name = generationName(baseName, chain.generation);
      // Events an earlier, closed generation already counted are redeliveries: never counted again.
      remaining = remaining.filter((item) => {
        if (!chain.closedKeys.has(countedEventKey(item.request.fold.hash))) return true;
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
          const claim = opener.request.creation;
          const grant = claim === undefined ? undefined : this.#options.budget?.claim(claim);
          if (grant?.admitted === false) {
            // Not known here is not absent: an Incident another replica (or this one before a
            // restart) opened takes the alert as a fold, which the budget never limits.
            incident = await store.get(namespace, name);
            if (incident === undefined) {
              for (const item of remaining) outcomes[item.index] = item.request.fold.alertStatus === "firing" ? { result: "over-budget", limit: grant.limit } : { result: "no-open-incident" };
              remaining = [];
              break;
            }
            this.#known.set(knownKey, slim(incident));
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
              grant?.refund();
              if (!isConflict(error)) throw error;
              incident = await store.get(namespace, name);
              if (incident === undefined) continue;
            }
          }
        }
      }
      const nowMs = this.#now();
      const windowMs = Math.min(...remaining.map((item) => item.request.target.windowMs));
      const ours = incident.spec.fingerprint === first.target.fingerprint;
      if (!ours || isFull(occurrenceStatus(incident)) || (created !== name && !isOpen(incident, nowMs, windowMs))) {
        // Redeliveries of events it already counted stay with it; the rest go to the next
        // generation. A name taken by another fingerprint (a hash prefix collision) is skipped too.
        if (ours) for (const key of countedKeys(occurrenceStatus(incident))) chain.closedKeys.add(key);
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
        // Events the now full Incident had no room for go to the next generation.
        remaining = remaining.filter((_, position) => fold.effects[position] === "overflow");
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
      if (effect === "overflow") return;
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
