/**
 * Built-in Kubernetes actions: each idempotent, each a value-returning function (failures
 * carry a reason), reversible ones returning an undo record. The step engine resolves the
 * target, runs the guards, then calls {@link executeAction}; on resolve with revert it calls
 * {@link undoAction} with the stored record.
 */
export type { ActionClients, ActionContext, ActionIncident, ResolvedTarget, UndoContext } from "./action-contract.ts";
export type { ActionDefinition, ReversibleActionDefinition } from "./action-definition.ts";
export type { ActionFailure, ActionFailureReason, ActionOutcome, ActionSuccess, UndoOutcome, UndoSuccess } from "./action-outcome.ts";
export { createActionClients } from "./kube-calls.ts";
export { builtinActions, executeAction, isActionType } from "./registry.ts";
export { resolveActionTarget, targetRef, type TargetInput } from "./target.ts";
export { undoAction } from "./undo.ts";
export { parseUndoRecord, type UndoRecord } from "./undo-record.ts";
