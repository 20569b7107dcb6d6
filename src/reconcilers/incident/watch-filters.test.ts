import type { V1Job } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { Plain } from "../../runtime/plain-object.ts";
import { jobUpdateMatters, playbookUpdateMatters } from "./watch-filters.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";

function playbook(patch: { generation?: number; uid?: string; status?: Playbook["status"]; deletionTimestamp?: Date } = {}): Playbook {
  return {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: {
      name: "p",
      namespace: "ns",
      uid: patch.uid ?? "u1",
      generation: patch.generation ?? 1,
      ...(patch.deletionTimestamp === undefined ? {} : { deletionTimestamp: patch.deletionTimestamp }),
    },
    spec: { trigger: { types: ["t"] }, steps: [] },
    status: patch.status ?? {
      observedGeneration: 1,
      conditions: [{ type: "Ready", status: "True", reason: "Compiled", message: "ok", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 }],
    },
  };
}

const ready = playbook().status?.conditions ?? [];

describe("playbookUpdateMatters", () => {
  it.each([
    { name: "a resync (the same object twice)", updated: playbook(), matters: false },
    { name: "only the activity fields changed", updated: playbook({ status: { observedGeneration: 1, conditions: ready, activeIncidents: 7, lastTriggeredAt: "2026-01-01T00:00:05Z" } }), matters: false },
    { name: "a new generation", updated: playbook({ generation: 2 }), matters: true },
    { name: "the reconciler observed a new generation", updated: playbook({ status: { observedGeneration: 2, conditions: ready } }), matters: true },
    {
      name: "Ready turned False",
      updated: playbook({ status: { observedGeneration: 1, conditions: [{ ...ready[0], status: "False", reason: "InvalidSpec" } as (typeof ready)[number]] } }),
      matters: true,
    },
    { name: "recreated under the same name", updated: playbook({ uid: "u2" }), matters: true },
    { name: "being deleted", updated: playbook({ deletionTimestamp: new Date("2026-01-01T00:01:00Z") }), matters: true },
  ])("$name: $matters", ({ updated, matters }) => {
    expect(playbookUpdateMatters(playbook(), updated)).toBe(matters);
  });
});

function job(patch: { conditions?: { type: string; status: string }[]; active?: number; ready?: number; owner?: string } = {}): Plain<V1Job> {
  return {
    metadata: { name: "j", namespace: "ns", ownerReferences: [{ apiVersion: API_VERSION, kind: "Incident", name: "i", uid: patch.owner ?? "i1", controller: true }] },
    status: {
      ...(patch.active === undefined ? {} : { active: patch.active }),
      ...(patch.ready === undefined ? {} : { ready: patch.ready }),
      ...(patch.conditions === undefined ? {} : { conditions: patch.conditions }),
    },
  };
}

describe("jobUpdateMatters", () => {
  it.each([
    { name: "the Job controller counts an active Pod", old: job(), updated: job({ active: 1, ready: 0 }), matters: false },
    { name: "the Pod became ready", old: job({ active: 1, ready: 0 }), updated: job({ active: 1, ready: 1 }), matters: false },
    { name: "an interim condition", old: job({ active: 1 }), updated: job({ active: 1, conditions: [{ type: "SuccessCriteriaMet", status: "True" }] }), matters: false },
    { name: "Complete", old: job({ active: 1 }), updated: job({ conditions: [{ type: "Complete", status: "True" }] }), matters: true },
    { name: "Failed", old: job({ active: 1 }), updated: job({ conditions: [{ type: "Failed", status: "True" }] }), matters: true },
    { name: "a resync of a finished Job", old: job({ conditions: [{ type: "Complete", status: "True" }] }), updated: job({ conditions: [{ type: "Complete", status: "True" }] }), matters: false },
    { name: "another controlling Incident", old: job(), updated: job({ owner: "i2" }), matters: true },
  ])("$name: $matters", ({ old, updated, matters }) => {
    expect(jobUpdateMatters(old, updated)).toBe(matters);
  });
});
