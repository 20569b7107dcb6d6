import type { LifecycleEvent } from "./pending-events.ts";

/** What a publish of a lifecycle event achieved. */
export type PublishResult =
  /** Handed to NATS (and stored by the capture stream, when there is one). */
  | "published"
  /** The capture stream already held an event of that id (a transition published again). */
  | "duplicate";

/** Where the Incident controller publishes lifecycle events. */
export interface LifecycleEventSink {
  /**
   * Publishes one event. Resolves once NATS has it (stored by the capture stream, when there is
   * one); rejects, within a bounded time, when it cannot: the caller keeps the event pending.
   */
  publish(event: LifecycleEvent): Promise<PublishResult>;
}
