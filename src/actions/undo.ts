import type { ReversibleActionType } from "../api/v1alpha1/index.ts";
import type { UndoContext } from "./action-contract.ts";
import type { ReversibleActionDefinition } from "./action-definition.ts";
import { actionFailure, type UndoOutcome } from "./action-outcome.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";
import { builtinActions } from "./registry.ts";
import type { UndoRecord, UndoRecordByAction } from "./undo-record.ts";

const reversibleActions: { readonly [A in ReversibleActionType]: ReversibleActionDefinition<A> } = builtinActions;

function revert<A extends ReversibleActionType>(context: UndoContext, action: A, record: UndoRecordByAction[A]): Promise<UndoOutcome> {
  return reversibleActions[action].revert(context, record);
}

/**
 * Reverts one action from its undo record. Idempotent: an undo run twice, or over objects that
 * are gone, succeeds with a message saying there was nothing left to revert; state someone
 * changed since the action is left alone. Never throws; failures are values with reasons (a
 * `Forbidden` one names the ClusterRole to bind).
 */
export async function undoAction(context: UndoContext, record: UndoRecord): Promise<UndoOutcome> {
  try {
    const outcome = await revert(context, record.action, record);
    return outcome.ok ? { ok: true, message: boundText(outcome.message, MAX_MESSAGE_LENGTH) } : outcome;
  } catch (error: unknown) {
    context.logger.error({ action: record.action, err: error }, "undo failed unexpectedly");
    return actionFailure("ApiUnavailable", `undo of ${record.action}: failed unexpectedly (${error instanceof Error ? error.name : "error"})`);
  }
}
