import type { TimelineEntry } from "./types.generated.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "./bounds.ts";
import { MAX_TIMELINE_ENTRIES } from "./schema/incident.ts";

/** An entry as sub-steps report it; `time` is the reconcile's clock reading. */
export interface TimelineEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
  readonly playbook?: string;
  readonly step?: string;
}

/** A timeline entry for `event` at `now`, with its message bounded. */
export function timelineEntry(event: TimelineEvent, now: Date): TimelineEntry {
  return {
    time: now.toISOString(),
    type: event.type,
    reason: event.reason,
    message: boundText(event.message, MAX_MESSAGE_LENGTH),
    ...(event.playbook === undefined ? {} : { playbook: event.playbook }),
    ...(event.step === undefined ? {} : { step: event.step }),
  };
}

/**
 * Appends entries, oldest first, keeping at most {@link MAX_TIMELINE_ENTRIES}: when the bound is
 * exceeded the oldest entries are dropped. Never mutates its inputs.
 */
export function appendTimeline(
  timeline: readonly TimelineEntry[] | undefined,
  entries: readonly TimelineEntry[],
): TimelineEntry[] {
  const all = [...(timeline ?? []), ...entries];
  return all.length <= MAX_TIMELINE_ENTRIES ? all : all.slice(all.length - MAX_TIMELINE_ENTRIES);
}
