import type { Logger } from "pino";
import type { LabelSelector } from "../../api/label-selector.ts";
import { executeAction, targetRef, type ActionClients, type ActionIncident } from "../../actions/index.ts";
import type { EffectOutcome, RunActionEffect } from "../step-effects.ts";

/**
 * Runs the built-in action of an effect and reports its outcome as a value; never throws.
 * A success carries the action's bounded outputs (plus `target`) and its undo record as plain
 * JSON for the step's `undo`; a failure keeps the action's reason and retryability.
 */
export async function runActionEffect(args: {
  readonly effect: RunActionEffect;
  readonly clients: ActionClients;
  readonly protectedNodes: LabelSelector | undefined;
  readonly incident: ActionIncident;
  readonly playbookNamespace: string;
  readonly logger: Logger;
}): Promise<EffectOutcome> {
  const { action } = args.effect;
  const outcome = await executeAction(action.type, {
    clients: args.clients,
    protectedNodes: args.protectedNodes,
    playbookNamespace: args.playbookNamespace,
    incident: args.incident,
    target: action.target,
    params: action.params,
    dryRun: false,
    logger: args.logger,
  });
  if (!outcome.ok) return { ok: false, reason: outcome.reason, message: outcome.message, retryable: outcome.retryable };
  const outputs = { target: targetRef(action.target), ...outcome.outputs };
  return {
    ok: true,
    message: outcome.message,
    outputs,
    ...(outcome.undo === undefined ? {} : { undo: { ...outcome.undo } }),
  };
}
