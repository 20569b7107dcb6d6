import { describe, expect, it } from "vitest";
import { parseUndoRecord, type UndoRecord } from "./undo-record.ts";

const records: UndoRecord[] = [
  { action: "isolatePod", namespace: "shop", pod: "web-0", networkPolicy: "soar-isolate-web-0", isolationLabel: "soar-isolate-web-0" },
  { action: "label", kind: "Pod", namespace: "shop", name: "web-0", applied: { tier: "q" }, previous: { tier: "front" }, previouslyAbsent: [] },
  { action: "annotate", kind: "Node", name: "worker-1", applied: { "example.com/note": "x" }, previous: {}, previouslyAbsent: ["example.com/note"] },
  { action: "cordonNode", node: "worker-1" },
  { action: "uncordonNode", node: "worker-1" },
  { action: "scaleWorkload", kind: "StatefulSet", namespace: "db", name: "pg", previousReplicas: 3, appliedReplicas: 0 },
];

describe("parseUndoRecord", () => {
  it.each(records)("round-trips $action through JSON", (record) => {
    expect(parseUndoRecord(JSON.parse(JSON.stringify(record)) as unknown)).toEqual({ ok: true, record });
  });

  it.each<[string, unknown, string]>([
    ["not an object", "isolatePod", "undo: must be an object"],
    ["an irreversible action", { action: "deletePod" }, "undo.action: not a reversible action"],
    ["a bad name", { action: "cordonNode", node: "Worker 1" }, "undo.node: missing or malformed"],
    ["negative replicas", { ...records[5], previousReplicas: -1 }, "undo.previousReplicas: must be a non-negative integer"],
    ["a bad kind", { ...records[5], kind: "DaemonSet" }, "undo.kind: must be Deployment or StatefulSet"],
    ["a pod without namespace", { ...records[1], namespace: undefined }, "undo.namespace: missing or malformed"],
    ["a malformed key", { ...records[1], applied: { "bad key": "x" } }, "undo.applied: malformed entry"],
    ["a malformed key list", { ...records[2], previouslyAbsent: "x" }, "undo.previouslyAbsent: must be a list of keys"],
  ])("refuses %s", (_, value, message) => {
    expect(parseUndoRecord(value)).toEqual({ ok: false, message });
  });
});
