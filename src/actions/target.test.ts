import { describe, expect, it } from "vitest";
import type { ActionType } from "../api/v1alpha1/index.ts";
import type { AffectedResources } from "../api/v1alpha1/types.generated.ts";
import { resolveActionTarget, type TargetInput } from "./target.ts";

const resources: AffectedResources = { namespace: "shop", pod: "web-0", node: "worker-1", workload: "Deployment/web", container: "app" };

describe("resolveActionTarget", () => {
  it.each<[string, ActionType, TargetInput | undefined, AffectedResources, unknown]>([
    ["pod defaults from the incident", "isolatePod", undefined, resources, { kind: "Pod", namespace: "shop", name: "web-0" }],
    ["node defaults from the incident", "cordonNode", undefined, resources, { kind: "Node", name: "worker-1" }],
    ["workload kind and name from resources.workload", "scaleWorkload", undefined, resources, { kind: "Deployment", namespace: "shop", name: "web" }],
    ["explicit target wins", "deletePod", { namespace: "other", name: "api-1" }, resources, { kind: "Pod", namespace: "other", name: "api-1" }],
    ["label on a node", "label", { kind: "Node" }, resources, { kind: "Node", name: "worker-1" }],
    ["empty strings count as absent", "evictPod", { kind: "", namespace: "", name: "" }, resources, { kind: "Pod", namespace: "shop", name: "web-0" }],
    ["statefulset named explicitly", "scaleWorkload", { kind: "StatefulSet", name: "db" }, resources, { kind: "StatefulSet", namespace: "shop", name: "db" }],
  ])("%s", (_, action, target, from, expected) => {
    expect(resolveActionTarget(action, target, from)).toEqual({ ok: true, target: expected });
  });

  it.each<[string, ActionType, TargetInput | undefined, AffectedResources, string]>([
    ["kind that does not fit", "cordonNode", { kind: "Pod" }, resources, "cordonNode: target.kind: must be one of Node, got \"Pod\""],
    ["unknown kind", "label", { kind: "Secret" }, resources, "label: target.kind: must be one of Pod, Node, got \"Secret\""],
    ["no name anywhere", "isolatePod", undefined, { namespace: "shop" }, "isolatePod: target.name: required, and the Incident names no affected Pod"],
    ["hostile rendered name", "deletePod", { name: "web-0; kubectl delete ns kube-system" }, resources, "deletePod: target.name: not a valid Pod name: \"web-0; kubectl delete ns kube-system\""],
    ["namespace on a node", "cordonNode", { namespace: "shop" }, resources, "cordonNode: target.namespace: a Node is cluster-scoped and takes no namespace"],
    ["no namespace anywhere", "deletePod", { name: "web-0" }, {}, "deletePod: target.namespace: required, and the Incident names no affected namespace"],
    ["invalid namespace", "deletePod", { namespace: "Shop_1" }, resources, "deletePod: target.namespace: not a valid namespace name: \"Shop_1\""],
    ["workload of another kind", "scaleWorkload", undefined, { namespace: "shop", workload: "DaemonSet/agent" }, "scaleWorkload: target.name: required, and the Incident names no affected Deployment"],
  ])("refuses %s", (_, action, target, from, message) => {
    expect(resolveActionTarget(action, target, from)).toEqual({ ok: false, reason: "InvalidTarget", message, retryable: false });
  });
});
