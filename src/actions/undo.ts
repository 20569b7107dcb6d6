import type { UndoContext, UndoOutcome } from "./action-contract.ts";
import { actionFailure } from "./action-failure.ts";
import { revertCordon, revertUncordon } from "./cordon-node.ts";
import { revertIsolation } from "./isolate-pod.ts";
import { revertMetadata } from "./label.ts";
import { boundText, MAX_MESSAGE_CHARS } from "./output-bounds.ts";
import { revertScale } from "./scale-workload.ts";
import type { UndoRecord } from "./undo-record.ts";

async function dispatch(context: UndoContext, record: UndoRecord): Promise<UndoOutcome> {
  switch (record.action) {
    case "isolatePod":
      return revertIsolation(context, record);
    case "label":
    case "annotate":
      return revertMetadata(context, record);
    case "cordonNode":
      return revertCordon(context, record);
    case "uncordonNode":
      return revertUncordon(context, record);
    case "scaleWorkload":
      return revertScale(context, record);
  }
}

/**
 * Reverts one action from its undo record. Idempotent: an undo run twice, or over objects that
 * are gone, succeeds with a message saying there was nothing left to revert; state someone
 * changed since the action is left alone. Never throws; failures are values with reasons (a
 * `Forbidden` one names the ClusterRole to bind).
 */
export async function undoAction(context: UndoContext, record: UndoRecord): Promise<UndoOutcome> {
  try {
    const outcome = await dispatch(context, record);
    return outcome.ok ? { ok: true, message: boundText(outcome.message, MAX_MESSAGE_CHARS) } : outcome;
  } catch (error: unknown) {
    context.logger.error({ action: record.action, err: error }, "undo failed unexpectedly");
    return actionFailure("ApiUnavailable", `undo of ${record.action}: failed unexpectedly (${error instanceof Error ? error.name : "error"})`);
  }
}
