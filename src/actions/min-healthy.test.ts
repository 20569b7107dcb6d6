import { describe, expect, it } from "vitest";
import { deletionKeepsMinHealthy, parseMinHealthy, requiredReady } from "./min-healthy.ts";

describe("parseMinHealthy", () => {
  it.each([
    ["2", { kind: "count", value: 2 }],
    [" 0 ", { kind: "count", value: 0 }],
    ["50%", { kind: "percent", value: 50 }],
    ["100%", { kind: "percent", value: 100 }],
    ["101%", undefined],
    ["-1", undefined],
    ["1.5", undefined],
    ["half", undefined],
  ])("%j", (text, expected) => {
    expect(parseMinHealthy(text)).toEqual(expected);
  });
});

describe("deletionKeepsMinHealthy", () => {
  const health = { workload: "Deployment/web", desired: 3, ready: 3 };
  it.each([
    ["count kept", health, true, { kind: "count", value: 2 } as const, { allowed: true }],
    ["count broken", health, true, { kind: "count", value: 3 } as const, { allowed: false, message: "deleting the pod would leave Deployment/web with 2 ready replicas, fewer than minHealthyReplicas 3" }],
    ["an unready pod costs nothing", health, false, { kind: "count", value: 3 } as const, { allowed: true }],
    ["percent rounded up", health, true, { kind: "percent", value: 67 } as const, { allowed: false, message: "deleting the pod would leave Deployment/web with 2 ready replicas, fewer than minHealthyReplicas 67% of 3 = 3" }],
    ["percent kept", health, true, { kind: "percent", value: 50 } as const, { allowed: true }],
    ["already degraded", { ...health, ready: 0 }, true, { kind: "count", value: 1 } as const, { allowed: false, message: "deleting the pod would leave Deployment/web with 0 ready replicas, fewer than minHealthyReplicas 1" }],
  ])("%s", (_, workload, podReady, min, expected) => {
    expect(deletionKeepsMinHealthy(workload, podReady, min)).toEqual(expected);
  });

  it("computes the required count", () => {
    expect(requiredReady({ kind: "percent", value: 50 }, 5)).toBe(3);
    expect(requiredReady({ kind: "count", value: 4 }, 1)).toBe(4);
  });
});
