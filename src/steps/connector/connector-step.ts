import { renderJsonBody, type ConnectorPayload } from "../../connectors/index.ts";
import { renderTemplateText, type EvaluationVariables } from "../../expr/index.ts";
import type { CompiledStep } from "../../playbook/index.ts";
import type { RenderedTemplates } from "../render-templates.ts";

/** A connector or notify step ready to call: the Connector's name and what to send. */
export interface PreparedCall {
  readonly ok: true;
  /** Name of the Connector, in the Playbook's namespace. */
  readonly connector: string;
  readonly payload: ConnectorPayload;
}

/** Why the call cannot be made as written; `message` names the field. */
export interface CallStepProblem {
  readonly ok: false;
  readonly message: string;
}

const paramPath = /^connector\.params\[(.+)\]$/;

/**
 * Prepares a `connector` or `notify` step. A connector body is rendered by
 * {@link renderJsonBody}, so every `${{ }}` value lands in the JSON as data (hostile alert
 * fields stay inert) and the result is valid JSON; parameters are the rendered strings. Body
 * and notify message keep the inserted values apart from the Playbook's text (a markup
 * Connector escapes them unless the step sets `rawMarkup`). Pure; problems name the field
 * under `spec.steps[<index>]`.
 */
export function prepareCallStep(step: CompiledStep, rendered: RenderedTemplates, variables: EvaluationVariables): PreparedCall | CallStepProblem {
  const field = `spec.steps[${step.index}]`;
  const notify = step.spec.notify;
  if (notify !== undefined) {
    const template = step.templates.get("notify.message");
    if (template === undefined) return { ok: false, message: `${field}.notify.message: not compiled` };
    const message = renderTemplateText(template, variables);
    if (!message.ok) return { ok: false, message: `${field}.notify.message: ${message.message}` };
    return { ok: true, connector: notify.connector, payload: { kind: "message", message: message.value, rawMarkup: notify.rawMarkup ?? false } };
  }
  const spec = step.spec.connector;
  if (spec === undefined) return { ok: false, message: `${field}: neither connector nor notify is set` };
  const params: Record<string, string> = {};
  for (const [path, value] of rendered) {
    const key = paramPath.exec(path)?.[1];
    if (key !== undefined) params[key] = value;
  }
  const template = step.templates.get("connector.body");
  const rawMarkup = spec.rawMarkup ?? false;
  if (template === undefined) return { ok: true, connector: spec.ref, payload: { kind: "body", params, rawMarkup } };
  const body = renderJsonBody(template, variables);
  if (!body.ok) return { ok: false, message: `${field}.connector.${body.message}` };
  return { ok: true, connector: spec.ref, payload: { kind: "body", body: body.body, params, rawMarkup } };
}
