import { parseUndoRecord, undoAction, type UndoContext } from "../../actions/index.ts";
import type { PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import { IncidentReason } from "../../api/v1alpha1/incident-reasons.ts";
import { MAX_REVERT_ATTEMPTS, pendingUndos } from "./revert-plan.ts";
import type { TimelineEvent } from "../../api/v1alpha1/timeline.ts";

/** What reverting needs. */
export interface RevertInput {
  readonly runs: readonly PlaybookRun[];
  readonly undo: UndoContext;
  readonly now: Date;
}

/** The runs with each undo's outcome recorded, what happened, and when to look again. */
export interface RevertResult {
  readonly runs: readonly PlaybookRun[];
  readonly events: readonly TimelineEvent[];
  /** Set when a retryable undo failure should be tried again. */
  readonly recheckAfterMs: number | undefined;
}

/** Wait before a retryable undo failure is tried again. */
export const REVERT_RETRY_MS = 10_000;

function replaceUndo(runs: readonly PlaybookRun[], playbook: string, step: string, undo: Record<string, unknown>): PlaybookRun[] {
  return runs.map((run) =>
    run.name !== playbook
      ? run
      : { ...run, steps: (run.steps ?? []).map((state): StepState => (state.name === step ? { ...state, undo } : state)) },
  );
}

/**
 * Revert: when a resolved Incident asks for it (`spec.revert`), undoes the reversible actions its
 * steps took, latest first. Each outcome is recorded in the step's `undo` (`revertedAt`,
 * `reverted`, `revertMessage`), so a revert runs once however often the Incident is
 * reconciled, and in the timeline (reason Reverted, or RevertFailed). A retryable failure is
 * tried again up to {@link MAX_REVERT_ATTEMPTS} times before it is recorded as failed; an undo
 * record that does not have the expected shape is never acted upon.
 */
export async function revert(input: RevertInput): Promise<RevertResult> {
  let runs = [...input.runs];
  const events: TimelineEvent[] = [];
  let recheckAfterMs: number | undefined;
  const at = input.now.toISOString();
  for (const pending of pendingUndos(runs)) {
    const parsed = parseUndoRecord(pending.undo);
    const outcome = parsed.ok ? await undoAction(input.undo, parsed.record) : { ok: false as const, retryable: false, reason: IncidentReason.InvalidUndo, message: parsed.message };
    const scope = { playbook: pending.playbook, step: pending.step };
    if (outcome.ok) {
      runs = replaceUndo(runs, pending.playbook, pending.step, { ...pending.undo, revertedAt: at, reverted: true, revertMessage: outcome.message });
      events.push({ type: "Normal", reason: IncidentReason.Reverted, message: outcome.message, ...scope });
      continue;
    }
    const attempts = pending.attempts + 1;
    const message = `undo failed (${outcome.reason}): ${outcome.message}`;
    if (outcome.retryable && attempts < MAX_REVERT_ATTEMPTS) {
      runs = replaceUndo(runs, pending.playbook, pending.step, { ...pending.undo, revertAttempts: attempts, revertMessage: message });
      recheckAfterMs = REVERT_RETRY_MS;
    } else {
      runs = replaceUndo(runs, pending.playbook, pending.step, { ...pending.undo, revertAttempts: attempts, revertedAt: at, reverted: false, revertMessage: message });
    }
    events.push({ type: "Warning", reason: IncidentReason.RevertFailed, message, ...scope });
  }
  return { runs, events, recheckAfterMs };
}
