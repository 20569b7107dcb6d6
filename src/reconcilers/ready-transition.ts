import { ConditionType } from "../api/v1alpha1/constants.ts";
import type { Condition } from "../api/v1alpha1/types.generated.ts";
import { findCondition } from "./conditions.ts";
import type { EventRecorder, EventSubject } from "./event-recorder.ts";

/**
 * Records an Event about `subject` when the `Ready` condition of `after` differs in status or
 * reason from that of `before` (absent counts as different): reason and message are Ready's,
 * the type Normal when Ready is True and Warning otherwise. Nothing when `after` has no Ready.
 */
export function recordReadyTransition(
  events: EventRecorder,
  subject: EventSubject,
  before: readonly Condition[] | undefined,
  after: readonly Condition[] | undefined,
): void {
  const was = findCondition(before, ConditionType.Ready);
  const ready = findCondition(after, ConditionType.Ready);
  if (ready === undefined || (was?.status === ready.status && was.reason === ready.reason)) return;
  events.record(subject, { type: ready.status === "True" ? "Normal" : "Warning", reason: ready.reason, message: ready.message });
}
