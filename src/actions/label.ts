import type { ActionClients, ActionContext, ResolvedTarget, UndoContext } from "./action-contract.ts";
import type { ReversibleActionDefinition } from "./action-definition.ts";
import { actionFailure, failureFromApiError, type ActionFailure, type ActionOutcome, type UndoOutcome } from "./action-outcome.ts";
import { dryRunParameter, FIELD_MANAGER, mergePatchOptions } from "./kube-calls.ts";
import { Annotation, RESERVED_KEY_PREFIX } from "../api/v1alpha1/constants.ts";
import { isLabelValue, isQualifiedName } from "../api/v1alpha1/kube-names.ts";
import { parseRecordedValues, planMetadataChange, planMetadataRevert, serializeRecordedValues } from "./metadata-change.ts";
import { protectedNodeRefusal } from "./protected-node.ts";
import { targetRef } from "./target.ts";
import type { MetadataUndo } from "./undo-record.ts";
import { quotedValue } from "./quoted-value.ts";

type MetadataAction = "label" | "annotate";

/** Most keys one label or annotate step may set. */
const MAX_KEYS = 16;

/** Longest annotation value the action sets, in characters. */
const MAX_ANNOTATION_VALUE = 4096;

const markerOf: Readonly<Record<MetadataAction, string>> = {
  label: Annotation.PreviousLabels,
  annotate: Annotation.PreviousAnnotations,
};

function validate(action: MetadataAction, params: Readonly<Record<string, string>>): ActionFailure | undefined {
  const entries = Object.entries(params);
  if (entries.length === 0) return actionFailure("InvalidParams", `${action}: params: give at least one key and its value`);
  if (entries.length > MAX_KEYS) return actionFailure("InvalidParams", `${action}: params: at most ${MAX_KEYS} keys`);
  for (const [key, value] of entries) {
    const field = `params[${quotedValue(key)}]`;
    if (!isQualifiedName(key)) return actionFailure("InvalidParams", `${action}: ${field}: not a valid ${action === "label" ? "label" : "annotation"} key`);
    if (key.startsWith(RESERVED_KEY_PREFIX)) return actionFailure("InvalidParams", `${action}: ${field}: keys under ${RESERVED_KEY_PREFIX} are reserved for kube-soar`);
    if (action === "label" && !isLabelValue(value)) {
      return actionFailure("InvalidParams", `${action}: ${field}: not a valid label value (at most 63 letters, digits, '-', '_', '.')`);
    }
    if (action === "annotate" && value.length > MAX_ANNOTATION_VALUE) {
      return actionFailure("InvalidParams", `${action}: ${field}: at most ${MAX_ANNOTATION_VALUE} characters`);
    }
  }
  return undefined;
}

/** The parts of an object's metadata the actions read. */
interface MetadataView {
  readonly resourceVersion: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

async function readMetadata(clients: ActionClients, target: ResolvedTarget): Promise<MetadataView> {
  const object =
    target.kind === "Node"
      ? await clients.core.readNode({ name: target.name })
      : await clients.core.readNamespacedPod({ name: target.name, namespace: target.namespace ?? "" });
  return {
    resourceVersion: object.metadata?.resourceVersion,
    labels: object.metadata?.labels ?? {},
    annotations: object.metadata?.annotations ?? {},
  };
}

async function patchMetadata(clients: ActionClients, target: ResolvedTarget, metadata: MetadataPatch, dryRun: boolean): Promise<void> {
  const common = { body: { metadata }, fieldManager: FIELD_MANAGER, ...dryRunParameter(dryRun) };
  if (target.kind === "Node") await clients.core.patchNode({ name: target.name, ...common }, mergePatchOptions);
  else await clients.core.patchNamespacedPod({ name: target.name, namespace: target.namespace ?? "", ...common }, mergePatchOptions);
}

function valuesOf(action: MetadataAction, metadata: MetadataView): Readonly<Record<string, string>> {
  return action === "label" ? metadata.labels : metadata.annotations;
}

/** A metadata merge patch: null removes a key. */
interface MetadataPatch {
  readonly resourceVersion: string | undefined;
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly annotations: Readonly<Record<string, string | null>>;
}

/** The metadata merge patch: new values plus the marker, guarded by the read resourceVersion. */
function changePatch(action: MetadataAction, resourceVersion: string | undefined, values: Readonly<Record<string, string | null>>, marker: string | null): MetadataPatch {
  const markerEntry = { [markerOf[action]]: marker };
  return action === "label"
    ? { resourceVersion, labels: values, annotations: markerEntry }
    : { resourceVersion, annotations: { ...values, ...markerEntry } };
}

async function apply(action: MetadataAction, context: ActionContext): Promise<ActionOutcome> {
  const { target } = context;
  if (target.kind !== "Pod" && target.kind !== "Node") return actionFailure("InvalidTarget", `${action}: target.kind: must be Pod or Node`);
  const ref = `${target.kind.toLowerCase()} ${targetRef(target)}`;
  let metadata: MetadataView;
  try {
    metadata = await readMetadata(context.clients, target);
  } catch (error: unknown) {
    return failureFromApiError(error, { action, operation: `read ${ref}` });
  }
  if (target.kind === "Node") {
    const refused = protectedNodeRefusal(action, target.name, metadata.labels, context.protectedNodes);
    if (refused !== undefined) return refused;
  }
  const recordedBefore = parseRecordedValues(metadata.annotations[markerOf[action]]);
  const plan = planMetadataChange(valuesOf(action, metadata), recordedBefore, context.params);
  if (plan.changed) {
    try {
      await patchMetadata(context.clients, target, changePatch(action, metadata.resourceVersion, plan.set, serializeRecordedValues(plan.recorded)), context.dryRun);
    } catch (error: unknown) {
      return failureFromApiError(error, { action, operation: `patch ${ref}` });
    }
  }
  const keys = Object.keys(context.params).sort();
  context.logger.info({ action, kind: target.kind, namespace: target.namespace, name: target.name, keys, changed: plan.changed, dryRun: context.dryRun }, "metadata action applied");
  const undo: MetadataUndo = {
    action,
    kind: target.kind,
    ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    name: target.name,
    applied: { ...context.params },
    previous: plan.previous,
    previouslyAbsent: plan.previouslyAbsent,
  };
  const noun = action === "label" ? "labels" : "annotations";
  const verb = context.dryRun ? `would set ${noun}` : plan.changed ? `set ${noun}` : `${noun} already set`;
  return {
    ok: true,
    alreadyApplied: !plan.changed,
    message: `${verb} ${keys.join(", ")} on ${ref}`,
    outputs: { changed: keys.filter((key) => Object.hasOwn(plan.set, key)).join(","), dryRun: String(context.dryRun) },
    undo,
  };
}

function definition<A extends MetadataAction>(action: A): ReversibleActionDefinition<A> {
  return {
    type: action,
    revert: revertMetadata,
    async execute(context) {
      const invalid = validate(action, context.params);
      return invalid ?? apply(action, context);
    },
  };
}

/**
 * `label`: sets the labels given as params (key → value) on a Pod or Node (a protected Node is
 * refused, `ProtectedNode`). The values before
 * kube-soar first changed each key are kept in an annotation on the object and in the undo
 * record. Keys under `soar.kube-soar.io/` are refused.
 */
export const labelAction: ReversibleActionDefinition<"label"> = definition("label");

/** `annotate`: as {@link labelAction}, for annotations (values up to 4096 characters). */
export const annotateAction: ReversibleActionDefinition<"annotate"> = definition("annotate");

/**
 * Reverts a label/annotate action: keys that still carry the applied value get their earlier
 * value back (or are removed); keys changed since by someone else are left alone and named in
 * the message. A target that no longer exists needs no revert.
 */
async function revertMetadata(context: UndoContext, undo: MetadataUndo): Promise<UndoOutcome> {
  const { clients, dryRun } = context;
  const target: ResolvedTarget = { kind: undo.kind, name: undo.name, ...(undo.namespace === undefined ? {} : { namespace: undo.namespace }) };
  const ref = `${undo.kind.toLowerCase()} ${targetRef(target)}`;
  let metadata: MetadataView;
  try {
    metadata = await readMetadata(clients, target);
  } catch (error: unknown) {
    const failure = failureFromApiError(error, { action: undo.action, operation: `read ${ref}` });
    return failure.reason === "NotFound" ? { ok: true, message: `${ref} no longer exists; nothing to revert` } : failure;
  }
  const recordedBefore = parseRecordedValues(metadata.annotations[markerOf[undo.action]]);
  const plan = planMetadataRevert(valuesOf(undo.action, metadata), recordedBefore, undo);
  const markerAfter = serializeRecordedValues(plan.recorded);
  const markerBefore = metadata.annotations[markerOf[undo.action]] ?? null;
  if (Object.keys(plan.patch).length > 0 || markerAfter !== markerBefore) {
    try {
      await patchMetadata(clients, target, changePatch(undo.action, metadata.resourceVersion, plan.patch, markerAfter), dryRun);
    } catch (error: unknown) {
      return failureFromApiError(error, { action: undo.action, operation: `patch ${ref}` });
    }
  }
  const restored = plan.restored.length === 0 ? "nothing to restore" : `restored ${[...plan.restored].sort().join(", ")}`;
  const leftAlone = plan.leftAlone.length === 0 ? "" : `; left ${[...plan.leftAlone].sort().join(", ")} as changed since`;
  context.logger.info({ action: undo.action, kind: undo.kind, namespace: undo.namespace, name: undo.name, restored: plan.restored, leftAlone: plan.leftAlone, dryRun }, "metadata action reverted");
  return { ok: true, message: `${restored} on ${ref}${leftAlone}` };
}
