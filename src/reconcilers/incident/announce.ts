import type { Logger } from "pino";
import type { Incident, IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import { jsonEqual } from "../deep-equal.ts";
import type { LifecycleAnnouncer } from "../lifecycle-events/lifecycle-announcer.ts";
import { pendingLifecycleEvents, type EscalationLevel } from "../lifecycle-events/pending-events.ts";

/** What announce needs. */
export interface AnnounceInput {
  readonly key: string;
  /** The Incident as read. */
  readonly incident: Incident;
  /** The status close computed, to be written. */
  readonly status: IncidentStatus;
  readonly now: Date;
  /** Absent when lifecycle events are not published. */
  readonly announcer: LifecycleAnnouncer | undefined;
  /** Absent when nothing reports escalations. */
  readonly escalationLevel: EscalationLevel | undefined;
  readonly logger: Logger;
}

/** The status to write, with the cursor of what was published. */
export interface AnnounceResult {
  readonly status: IncidentStatus;
  /** Whether the cursor differs from the one read: the status must be written even if nothing else changed. */
  readonly cursorChanged: boolean;
  /** When to look again for events still pending. */
  readonly retryAfterMs: number | undefined;
}

/**
 * Announce: publishes the lifecycle events that the status about to be written makes pending
 * (`pendingLifecycleEvents`, in order, stopping at a failure) and returns that status with
 * `published` set to the cursor recording them. It runs after close and before the reconcile's
 * one status write, which records the cursor: an event is always published before it is
 * recorded, so a crash in between publishes it again, with the same id (at least once), and no
 * status write is added for it. Without an announcer the status is returned unchanged.
 */
export async function announce(input: AnnounceInput): Promise<AnnounceResult> {
  const { announcer, incident, status } = input;
  if (announcer === undefined) return { status, cursorChanged: false, retryAfterMs: undefined };
  const escalationLevel = input.escalationLevel?.(incident, status) ?? 0;
  const pending = pendingLifecycleEvents({ incident, status, now: input.now, escalationLevel });
  const announced = await announcer.announce(input.key, pending, input.logger);
  if (announced.cursor === undefined) return { status, cursorChanged: false, retryAfterMs: announced.retryAfterMs };
  const cursorChanged = !jsonEqual(announced.cursor, incident.status?.published);
  return { status: { ...status, published: announced.cursor }, cursorChanged, retryAfterMs: announced.retryAfterMs };
}
