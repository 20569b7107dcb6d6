import { isDnsLabel, isDnsSubdomain, isQualifiedName } from "../api/v1alpha1/kube-names.ts";

/** Undo of isolatePod: delete the NetworkPolicy and remove the quarantine label. */
export interface IsolatePodUndo {
  readonly action: "isolatePod";
  readonly namespace: string;
  readonly pod: string;
  readonly networkPolicy: string;
  /** Value of the quarantine label the NetworkPolicy selects. */
  readonly isolationLabel: string;
}

/** Undo of label/annotate: restore the keys that kube-soar changed to their earlier values. */
export interface MetadataUndo {
  readonly action: "label" | "annotate";
  readonly kind: "Pod" | "Node";
  /** Absent for a Node. */
  readonly namespace?: string;
  readonly name: string;
  /** The values the action set. */
  readonly applied: Readonly<Record<string, string>>;
  /** Earlier values of keys that had one. */
  readonly previous: Readonly<Record<string, string>>;
  /** Keys that were absent before; undo removes them. */
  readonly previouslyAbsent: readonly string[];
}

/** Undo of cordonNode: uncordon the Node, when kube-soar's cordon marker is still on it. */
export interface CordonUndo {
  readonly action: "cordonNode";
  readonly node: string;
}

/** Undo of uncordonNode: cordon the Node again. */
export interface UncordonUndo {
  readonly action: "uncordonNode";
  readonly node: string;
}

/** Undo of scaleWorkload: scale back, when the replicas are still the ones the action set. */
export interface ScaleUndo {
  readonly action: "scaleWorkload";
  readonly kind: "Deployment" | "StatefulSet";
  readonly namespace: string;
  readonly name: string;
  readonly previousReplicas: number;
  readonly appliedReplicas: number;
}

/**
 * The undo record of each reversible action: its keys are exactly the actions the catalog marks
 * `reversible` (a test checks the type equality).
 */
export interface UndoRecordByAction {
  readonly isolatePod: IsolatePodUndo;
  readonly label: MetadataUndo;
  readonly annotate: MetadataUndo;
  readonly cordonNode: CordonUndo;
  readonly uncordonNode: UncordonUndo;
  readonly scaleWorkload: ScaleUndo;
}

/**
 * How to revert one action, stored in the Incident's step status (`undo`). Plain JSON, without
 * nulls, so it survives the API server's storage unchanged.
 */
export type UndoRecord = UndoRecordByAction[keyof UndoRecordByAction];

type Fields = Record<string, unknown>;

class UndoShapeError extends Error {
  override readonly name = "UndoShapeError";
}

function field(record: Fields, name: string, check: (value: string) => boolean): string {
  const value = record[name];
  if (typeof value !== "string" || !check(value)) throw new UndoShapeError(`undo.${name}: missing or malformed`);
  return value;
}

function replicas(record: Fields, name: string): number {
  const value = record[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new UndoShapeError(`undo.${name}: must be a non-negative integer`);
  }
  return value;
}

function stringMap(record: Fields, name: string): Record<string, string> {
  const value = record[name];
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UndoShapeError(`undo.${name}: must be an object`);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Fields)) {
    if (!isQualifiedName(key) || typeof entry !== "string") throw new UndoShapeError(`undo.${name}: malformed entry`);
    result[key] = entry;
  }
  return result;
}

function keyList(record: Fields, name: string): string[] {
  const value = record[name] ?? [];
  if (!Array.isArray(value) || !value.every((key): key is string => typeof key === "string" && isQualifiedName(key))) {
    throw new UndoShapeError(`undo.${name}: must be a list of keys`);
  }
  return value;
}

function metadataUndo(action: "label" | "annotate", record: Fields): MetadataUndo {
  const rawKind = record["kind"];
  if (rawKind !== "Pod" && rawKind !== "Node") throw new UndoShapeError("undo.kind: must be Pod or Node");
  const kind: MetadataUndo["kind"] = rawKind;
  const base: MetadataUndo = {
    action,
    kind,
    name: field(record, "name", isDnsSubdomain),
    applied: stringMap(record, "applied"),
    previous: stringMap(record, "previous"),
    previouslyAbsent: keyList(record, "previouslyAbsent"),
  };
  return kind === "Pod" ? { ...base, namespace: field(record, "namespace", isDnsLabel) } : base;
}

function parse(record: Fields): UndoRecord {
  const action = record["action"];
  switch (action) {
    case "isolatePod":
      return {
        action,
        namespace: field(record, "namespace", isDnsLabel),
        pod: field(record, "pod", isDnsSubdomain),
        networkPolicy: field(record, "networkPolicy", isDnsSubdomain),
        isolationLabel: field(record, "isolationLabel", (value) => value.length > 0 && value.length <= 63),
      };
    case "label":
    case "annotate":
      return metadataUndo(action, record);
    case "cordonNode":
    case "uncordonNode":
      return { action, node: field(record, "node", isDnsSubdomain) };
    case "scaleWorkload": {
      const kind = record["kind"];
      if (kind !== "Deployment" && kind !== "StatefulSet") throw new UndoShapeError("undo.kind: must be Deployment or StatefulSet");
      return {
        action,
        kind,
        namespace: field(record, "namespace", isDnsLabel),
        name: field(record, "name", isDnsSubdomain),
        previousReplicas: replicas(record, "previousReplicas"),
        appliedReplicas: replicas(record, "appliedReplicas"),
      };
    }
    default:
      throw new UndoShapeError("undo.action: not a reversible action");
  }
}

/**
 * Reads an undo record back from an Incident's status. Status is written by the operator, but
 * it is still API data: a record that does not have exactly the expected shape is refused with
 * an error naming the field, never acted upon.
 */
export function parseUndoRecord(value: unknown): { ok: true; record: UndoRecord } | { ok: false; message: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, message: "undo: must be an object" };
  }
  try {
    return { ok: true, record: parse(value as Fields) };
  } catch (error: unknown) {
    if (error instanceof UndoShapeError) return { ok: false, message: error.message };
    throw error;
  }
}
