import type { PlaybookRun } from "../../api/v1alpha1/types.generated.ts";

/** Failed undos retried (for retryable failures) before the revert is recorded as failed. */
export const MAX_REVERT_ATTEMPTS = 3;

/** A step whose reversible action still has to be undone. */
export interface PendingUndo {
  readonly playbook: string;
  readonly step: string;
  readonly undo: Readonly<Record<string, unknown>>;
  /** Undo attempts already made (retryable failures). */
  readonly attempts: number;
}

/** Whether a step's stored undo record was already carried out (or given up on). */
export function undoSettled(undo: Readonly<Record<string, unknown>>): boolean {
  return typeof undo["revertedAt"] === "string";
}

/**
 * The undos still to run, in reverse order of the actions: latest finished first (ties: later
 * run, later step first), so an Incident is unwound the way it was wound. Steps whose undo was
 * already carried out or given up on are left out, so each undo runs once. Pure.
 */
export function pendingUndos(runs: readonly PlaybookRun[]): PendingUndo[] {
  const found: (PendingUndo & { order: number; finishedAt: number })[] = [];
  let order = 0;
  for (const run of runs) {
    for (const step of run.steps ?? []) {
      order += 1;
      if (step.undo === undefined || undoSettled(step.undo)) continue;
      const attempts = typeof step.undo["revertAttempts"] === "number" ? step.undo["revertAttempts"] : 0;
      const finishedAt = step.finishedAt === undefined ? 0 : Date.parse(step.finishedAt);
      found.push({ playbook: run.name, step: step.name, undo: step.undo, attempts, order, finishedAt: Number.isNaN(finishedAt) ? 0 : finishedAt });
    }
  }
  return found
    .sort((a, b) => b.finishedAt - a.finishedAt || b.order - a.order)
    .map(({ playbook, step, undo, attempts }) => ({ playbook, step, undo, attempts }));
}
