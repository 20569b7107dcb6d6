import type { ActionType, ReversibleActionType } from "../api/v1alpha1/index.ts";
import type { ActionContext, UndoContext } from "./action-contract.ts";
import type { ActionOutcome, UndoOutcome } from "./action-outcome.ts";
import type { UndoRecordByAction } from "./undo-record.ts";

/**
 * A built-in action. `execute` is idempotent by construction: running it again converges on
 * the same state and reports `alreadyApplied`; it never throws for API or input errors. What
 * the action accepts and promises (targets, reversibility, approval, role) is its row of
 * `ACTION_CATALOG`, not part of the definition.
 */
export interface ActionDefinition<A extends ActionType = ActionType> {
  readonly type: A;
  execute(context: ActionContext): Promise<ActionOutcome>;
}

/**
 * An action the catalog marks reversible: `execute` may return its undo record, and `revert`
 * reverts from that record. `revert` is idempotent (objects already gone, or state someone
 * changed since, count as nothing to revert) and returns failures as values.
 */
export interface ReversibleActionDefinition<A extends ReversibleActionType> extends ActionDefinition<A> {
  readonly revert: (context: UndoContext, record: UndoRecordByAction[A]) => Promise<UndoOutcome>;
}

/** The definition an action must have: with `revert` exactly when its catalog row is reversible. */
export type DefinitionOf<A extends ActionType> = A extends ReversibleActionType ? ReversibleActionDefinition<A> : ActionDefinition<A>;
