import { describe, expect, it } from "vitest";
import { parseLabelSelector, type LabelSelector } from "../api/label-selector.ts";
import { protectedNodeRefusal } from "./protected-node.ts";

function selector(text: string): LabelSelector {
  const parsed = parseLabelSelector(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.selector;
}

describe("protectedNodeRefusal", () => {
  const controlPlane = selector("node-role.kubernetes.io/control-plane");

  it("refuses a Node the selector selects, naming the node and the selector, not retryable", () => {
    expect(protectedNodeRefusal("cordonNode", "cp-1", { "node-role.kubernetes.io/control-plane": "" }, controlPlane)).toEqual({
      ok: false,
      reason: "ProtectedNode",
      message: 'cordonNode: node cp-1 is protected: its labels match the protected-node selector "node-role.kubernetes.io/control-plane"',
      retryable: false,
    });
  });

  it.each<[string, Readonly<Record<string, string>>, LabelSelector | undefined]>([
    ["a Node the selector does not select", { "node-role.kubernetes.io/worker": "" }, controlPlane],
    ["any Node when no selector is set", { "node-role.kubernetes.io/control-plane": "" }, undefined],
    ["a Node outside a set-based selector", { tier: "web" }, selector("tier in (infra,vault)")],
  ])("allows %s", (_, labels, protectedNodes) => {
    expect(protectedNodeRefusal("label", "node-1", labels, protectedNodes)).toBeUndefined();
  });
});
