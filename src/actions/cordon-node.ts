import type { V1Node } from "@kubernetes/client-node";
import { Annotation, type ActionType } from "../api/v1alpha1/index.ts";
import type { ActionContext, UndoContext } from "./action-contract.ts";
import type { ActionDefinition, ReversibleActionDefinition } from "./action-definition.ts";
import { actionFailure, failureFromApiError, type ActionFailure, type ActionOutcome, type UndoOutcome } from "./action-outcome.ts";
import { dryRunParameter, FIELD_MANAGER, mergePatchOptions } from "./kube-calls.ts";
import { readParams } from "./params.ts";
import { protectedNodeRefusal } from "./protected-node.ts";
import type { CordonUndo, UncordonUndo } from "./undo-record.ts";

async function readNode(context: UndoContext, action: ActionType, name: string): Promise<V1Node | ActionFailure> {
  try {
    return await context.clients.core.readNode({ name });
  } catch (error: unknown) {
    return failureFromApiError(error, { action, operation: `read node ${name}` });
  }
}

async function patchNode(context: UndoContext, action: ActionType, node: V1Node, name: string, patch: { unschedulable: boolean | null; marker: string | null }): Promise<ActionFailure | undefined> {
  const body = {
    metadata: { resourceVersion: node.metadata?.resourceVersion, annotations: { [Annotation.CordonedBy]: patch.marker } },
    spec: { unschedulable: patch.unschedulable },
  };
  try {
    await context.clients.core.patchNode({ name, body, fieldManager: FIELD_MANAGER, ...dryRunParameter(context.dryRun) }, mergePatchOptions);
    return undefined;
  } catch (error: unknown) {
    return failureFromApiError(error, { action, operation: `patch node ${name}` });
  }
}

function isFailure(value: V1Node | ActionFailure): value is ActionFailure {
  return "ok" in value;
}

async function cordon(context: ActionContext): Promise<ActionOutcome> {
  const name = context.target.name;
  const node = await readNode(context, "cordonNode", name);
  if (isFailure(node)) return node;
  const refused = protectedNodeRefusal("cordonNode", name, node.metadata?.labels ?? {}, context.protectedNodes);
  if (refused !== undefined) return refused;
  const cordoned = node.spec?.unschedulable === true;
  const marker = node.metadata?.annotations?.[Annotation.CordonedBy];
  const undo: CordonUndo = { action: "cordonNode", node: name };
  const outputs = { node: name, dryRun: String(context.dryRun) };
  if (cordoned && marker !== undefined) {
    return { ok: true, alreadyApplied: true, message: `node ${name} already cordoned by kube-soar`, outputs, undo };
  }
  if (cordoned) {
    return { ok: true, alreadyApplied: true, message: `node ${name} was already cordoned, not by kube-soar; undo will leave it cordoned`, outputs };
  }
  const failed = await patchNode(context, "cordonNode", node, name, { unschedulable: true, marker: `${context.incident.namespace}/${context.incident.name}` });
  if (failed !== undefined) return failed;
  context.logger.info({ action: "cordonNode", node: name, dryRun: context.dryRun }, "node cordoned");
  return { ok: true, alreadyApplied: false, message: `${context.dryRun ? "would cordon" : "cordoned"} node ${name}`, outputs, undo };
}

async function uncordon(context: ActionContext): Promise<ActionOutcome> {
  const name = context.target.name;
  const node = await readNode(context, "uncordonNode", name);
  if (isFailure(node)) return node;
  const refused = protectedNodeRefusal("uncordonNode", name, node.metadata?.labels ?? {}, context.protectedNodes);
  if (refused !== undefined) return refused;
  const outputs = { node: name, dryRun: String(context.dryRun) };
  if (node.spec?.unschedulable !== true) {
    return { ok: true, alreadyApplied: true, message: `node ${name} is already schedulable`, outputs };
  }
  const failed = await patchNode(context, "uncordonNode", node, name, { unschedulable: null, marker: null });
  if (failed !== undefined) return failed;
  context.logger.info({ action: "uncordonNode", node: name, dryRun: context.dryRun }, "node uncordoned");
  const undo: UncordonUndo = { action: "uncordonNode", node: name };
  return { ok: true, alreadyApplied: false, message: `${context.dryRun ? "would uncordon" : "uncordoned"} node ${name}`, outputs, undo };
}

function withoutParams(action: "cordonNode" | "uncordonNode", run: (context: ActionContext) => Promise<ActionOutcome>): ActionDefinition["execute"] {
  return async (context) => {
    const params = readParams(action, context.params, [], () => undefined);
    if (!params.ok) return params;
    if (context.target.kind !== "Node") return actionFailure("InvalidTarget", `${action}: target.kind: must be Node`);
    return run(context);
  };
}

/**
 * `cordonNode`: marks the Node unschedulable, with an annotation naming the Incident in the same
 * write; a protected Node is refused (`ProtectedNode`). A Node someone else cordoned is reported as already cordoned and gets no undo record,
 * so that reverting never uncordons what a person cordoned.
 */
export const cordonNodeAction: ReversibleActionDefinition<"cordonNode"> = {
  type: "cordonNode",
  revert: revertCordon,
  execute: withoutParams("cordonNode", cordon),
};

/** `uncordonNode`: marks the Node schedulable again (a protected Node is refused); its undo cordons it again. */
export const uncordonNodeAction: ReversibleActionDefinition<"uncordonNode"> = {
  type: "uncordonNode",
  revert: revertUncordon,
  execute: withoutParams("uncordonNode", uncordon),
};

/** Reverts cordonNode: uncordons the Node while kube-soar's cordon annotation is still on it. */
async function revertCordon(context: UndoContext, undo: CordonUndo): Promise<UndoOutcome> {
  const node = await readNode(context, "cordonNode", undo.node);
  if (isFailure(node)) {
    return node.reason === "NotFound" ? { ok: true, message: `node ${undo.node} no longer exists; nothing to revert` } : node;
  }
  if (node.metadata?.annotations?.[Annotation.CordonedBy] === undefined) {
    return { ok: true, message: `node ${undo.node} no longer carries kube-soar's cordon; left as is` };
  }
  const failed = await patchNode(context, "cordonNode", node, undo.node, { unschedulable: null, marker: null });
  if (failed !== undefined) return failed;
  context.logger.info({ action: "cordonNode", node: undo.node, dryRun: context.dryRun }, "node cordon reverted");
  return { ok: true, message: `uncordoned node ${undo.node}` };
}

/** Reverts uncordonNode: cordons the Node again unless it already is. */
async function revertUncordon(context: UndoContext, undo: UncordonUndo): Promise<UndoOutcome> {
  const node = await readNode(context, "uncordonNode", undo.node);
  if (isFailure(node)) {
    return node.reason === "NotFound" ? { ok: true, message: `node ${undo.node} no longer exists; nothing to revert` } : node;
  }
  if (node.spec?.unschedulable === true) return { ok: true, message: `node ${undo.node} is already cordoned` };
  const failed = await patchNode(context, "uncordonNode", node, undo.node, { unschedulable: true, marker: null });
  if (failed !== undefined) return failed;
  context.logger.info({ action: "uncordonNode", node: undo.node, dryRun: context.dryRun }, "node uncordon reverted");
  return { ok: true, message: `cordoned node ${undo.node} again` };
}
