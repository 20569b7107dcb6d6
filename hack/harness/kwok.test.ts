import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { fakeNode, KWOK_STAGES_PATH, nodeSchedulable, type NodeSchedulingState } from "./kwok.ts";

describe("fakeNode", () => {
  it("carries kwok's annotation, its hostname label and no taints", () => {
    const node = fakeNode("kwok-node-0");
    expect(node.metadata.annotations["kwok.x-k8s.io/node"]).toBe("fake");
    expect(node.metadata.labels["kubernetes.io/hostname"]).toBe("kwok-node-0");
    expect(node.spec).toEqual({});
  });
});

describe("nodeSchedulable", () => {
  const ready = { type: "Ready", status: "True" };
  it.each<{ name: string; node: NodeSchedulingState; schedulable: boolean }>([
    { name: "no status yet", node: {}, schedulable: false },
    { name: "Ready=False", node: { status: { conditions: [{ type: "Ready", status: "False" }] } }, schedulable: false },
    { name: "ready, untainted", node: { status: { conditions: [ready] } }, schedulable: true },
    {
      name: "ready, still tainted not-ready",
      node: { spec: { taints: [{ effect: "NoSchedule" }] }, status: { conditions: [ready] } },
      schedulable: false,
    },
    {
      name: "ready, PreferNoSchedule taint only",
      node: { spec: { taints: [{ effect: "PreferNoSchedule" }] }, status: { conditions: [ready] } },
      schedulable: true,
    },
  ])("is $schedulable for $name", ({ node, schedulable }) => {
    expect(nodeSchedulable(node)).toBe(schedulable);
  });
});

describe("kwok stages file", () => {
  it("holds valid Stage documents for nodes and pods, each named once", async () => {
    const documents = parseAllDocuments(await readFile(KWOK_STAGES_PATH, "utf8"));
    const stages = documents.map((document) => {
      expect(document.errors).toEqual([]);
      return document.toJS() as { apiVersion: string; kind: string; metadata: { name: string }; spec: { resourceRef: { kind: string } } };
    });
    for (const stage of stages) {
      expect(stage.apiVersion).toBe("kwok.x-k8s.io/v1alpha1");
      expect(stage.kind).toBe("Stage");
    }
    const names = stages.map((stage) => `${stage.spec.resourceRef.kind}/${stage.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual([
      "Node/node-heartbeat-with-lease",
      "Node/node-initialize",
      "Pod/pod-delete",
      "Pod/pod-job-terminate",
      "Pod/pod-ready",
      "Pod/pod-terminate-on-delete",
    ]);
  });

  it("documents the test annotations at its top", async () => {
    const text = await readFile(KWOK_STAGES_PATH, "utf8");
    const header = text.slice(0, text.indexOf("apiVersion:"));
    expect(header).toContain("kwok.kube-soar.io/exit-code");
    expect(header).toContain("kwok.kube-soar.io/termination-message");
  });
});
