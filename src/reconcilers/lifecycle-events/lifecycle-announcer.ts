import type { Logger } from "pino";
import type { Counter, Registry } from "prom-client";
import { INCIDENT_EVENT_TYPES } from "../../api/v1alpha1/incident-events.ts";
import type { PublishedLifecycle } from "../../api/v1alpha1/types.generated.ts";
import { cappedExponential } from "../../runtime/backoff.ts";
import { counterOn } from "../../runtime/metric-registration.ts";
import type { LifecycleEventSink } from "./lifecycle-event-sink.ts";
import type { PendingEvents } from "./pending-events.ts";

/** First retry delay after a failed publish, doubling per failure up to {@link PUBLISH_RETRY_MAX_MS}. */
export const PUBLISH_RETRY_INITIAL_MS = 1_000;
/** Longest delay before the pending events of an Incident are tried again. */
export const PUBLISH_RETRY_MAX_MS = 60_000;

const RESULTS = ["published", "duplicate", "failed"] as const;

/** `soar_incident_events_published_total{type,result}`, on `registry`. */
export function lifecycleEventMetrics(registry: Registry): Counter<"type" | "result"> {
  const counter = counterOn(registry, {
    name: "soar_incident_events_published_total",
    help: "Incident lifecycle CloudEvents publish attempts, by CloudEvent type and result: published; duplicate (the capture stream already held the id: a transition published again); failed (kept pending and retried with backoff).",
    labelNames: ["type", "result"],
  });
  for (const type of INCIDENT_EVENT_TYPES) for (const result of RESULTS) counter.inc({ type, result }, 0);
  return counter;
}

/** What announcing an Incident's pending events achieved. */
export interface Announcement {
  /** The cursor to write with the status (see `PendingEvents.cursor`). */
  readonly cursor: PublishedLifecycle | undefined;
  /** When to look again: a failed publish's backoff, or a held-back `updated` event. */
  readonly retryAfterMs: number | undefined;
}

/**
 * Publishes the pending lifecycle events of Incidents, in order, stopping at the first that
 * fails (the later ones wait, so a consumer never sees them out of order), and says which cursor
 * records what was published. It remembers in memory, per Incident, the events it published
 * whose cursor is not written yet ({@link recorded} forgets them once it is): when that write
 * fails (a conflict with intake), the next reconcile records them without publishing them again.
 * A restart or a new leader does not have that memory and publishes them again, with the same
 * ids. After a failure the Incident is looked at again with a per-Incident backoff.
 */
export class LifecycleAnnouncer {
  readonly #sink: LifecycleEventSink;
  readonly #published: Counter<"type" | "result">;
  /** Incident key → ids published whose cursor is not durable yet. */
  readonly #unrecorded = new Map<string, Set<string>>();
  /** Incident key → failed publishes in a row. */
  readonly #failures = new Map<string, number>();

  constructor(sink: LifecycleEventSink, registry: Registry) {
    this.#sink = sink;
    this.#published = lifecycleEventMetrics(registry);
  }

  /** Publishes what `pending` lists for the Incident behind `key` (see the class comment). */
  async announce(key: string, pending: PendingEvents, logger: Logger): Promise<Announcement> {
    let cursor = pending.cursor;
    const unrecorded = this.#unrecorded.get(key) ?? new Set<string>();
    for (const event of pending.events) {
      if (!unrecorded.has(event.id)) {
        try {
          const result = await this.#sink.publish(event);
          this.#published.inc({ type: event.type, result });
        } catch (error: unknown) {
          this.#published.inc({ type: event.type, result: "failed" });
          const failures = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, failures);
          const retryAfterMs = cappedExponential(PUBLISH_RETRY_INITIAL_MS, failures - 1, PUBLISH_RETRY_MAX_MS);
          logger.warn({ err: error, eventType: event.type, eventId: event.id, retryAfterMs }, "incident lifecycle event not published; retrying later");
          if (unrecorded.size > 0) this.#unrecorded.set(key, unrecorded);
          return { cursor, retryAfterMs: earliest(retryAfterMs, pending.dueInMs) };
        }
        unrecorded.add(event.id);
        logger.debug({ eventType: event.type, eventId: event.id }, "incident lifecycle event published");
      }
      cursor = event.cursor;
    }
    this.#failures.delete(key);
    if (unrecorded.size > 0) this.#unrecorded.set(key, unrecorded);
    return { cursor, retryAfterMs: pending.dueInMs };
  }

  /** The cursor `announce` returned for `key` is durable: nothing published is unrecorded. */
  recorded(key: string): void {
    this.#unrecorded.delete(key);
  }

  /** Forgets an Incident that no longer exists. */
  forget(key: string): void {
    this.#unrecorded.delete(key);
    this.#failures.delete(key);
  }
}

function earliest(a: number, b: number | undefined): number {
  return b === undefined ? a : Math.min(a, b);
}
