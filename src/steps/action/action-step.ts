import { isActionType, resolveActionTarget, type ResolvedTarget } from "../../actions/index.ts";
import { Reason, type ActionType } from "../../api/v1alpha1/index.ts";
import type { AffectedResources } from "../../api/v1alpha1/types.generated.ts";
import type { CompiledStep } from "../../playbook/index.ts";
import type { RenderedTemplates } from "../render-templates.ts";

/** An action step ready to run: its type, the resolved target and its rendered parameters. */
export interface PreparedAction {
  readonly ok: true;
  readonly type: ActionType;
  readonly target: ResolvedTarget;
  readonly params: Readonly<Record<string, string>>;
}

/** Why an action step cannot run as written; `message` names the field. */
export interface ActionStepProblem {
  readonly ok: false;
  readonly reason: Reason;
  readonly message: string;
}

const paramPath = /^action\.params\[(.+)\]$/;

/**
 * Prepares an action step from its rendered templates: rendered `target` fields (absent ones
 * default to the Incident's affected resources) resolved and validated, rendered `params` by
 * key. Rendered values are data only: a hostile alert field can name a target, which is then
 * validated as an object name and checked by the guards, but can never add a parameter or
 * change the action. Pure.
 */
export function prepareActionStep(step: CompiledStep, rendered: RenderedTemplates, resources: AffectedResources | undefined): PreparedAction | ActionStepProblem {
  const spec = step.spec.action;
  if (spec === undefined || !isActionType(spec.type)) {
    return { ok: false, reason: Reason.InvalidParams, message: `spec.steps[${step.index}].action.type: not a built-in action` };
  }
  const params: Record<string, string> = {};
  for (const [path, value] of rendered) {
    const key = paramPath.exec(path)?.[1];
    if (key !== undefined) params[key] = value;
  }
  const namespace = rendered.get("action.target.namespace");
  const name = rendered.get("action.target.name");
  const target = {
    ...(spec.target?.kind === undefined ? {} : { kind: spec.target.kind }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
  };
  const resolved = resolveActionTarget(spec.type, target, resources);
  if (!resolved.ok) return { ok: false, reason: resolved.reason, message: `spec.steps[${step.index}].action.target: ${resolved.message}` };
  return { ok: true, type: spec.type, target: resolved.target, params };
}
