import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Plain } from "../../runtime/plain-object.ts";
import { jobFinished, observeJob } from "./job-observation.ts";

type JobData = Plain<V1Job>;
type PodData = Plain<V1Pod>;

function job(conditions: { type: string; reason?: string; message?: string }[], completionTime?: string): JobData {
  return {
    metadata: { name: "j1" },
    status: {
      conditions: conditions.map((condition) => ({ ...condition, status: "True", lastTransitionTime: new Date("2026-01-01T00:01:00Z") })),
      ...(completionTime === undefined ? {} : { completionTime: new Date(completionTime) }),
    },
  };
}

function pod(created: string, terminated: { exitCode: number; message?: string; reason?: string }, container = "step"): PodData {
  return {
    metadata: { creationTimestamp: new Date(created) },
    status: { containerStatuses: [{ name: container, image: "x", imageID: "", ready: false, restartCount: 0, state: { terminated } }] },
  };
}

describe("observeJob", () => {
  it.each([
    { name: "no final condition: active", job: job([]), pods: [], expected: { kind: "active" } },
    { name: "interim conditions are not final", job: job([{ type: "SuccessCriteriaMet" }, { type: "FailureTarget" }]), pods: [], expected: { kind: "active" } },
    {
      name: "complete: outputs from the termination message",
      job: job([{ type: "Complete" }], "2026-01-01T00:02:00Z"),
      pods: [pod("2026-01-01T00:00:00Z", { exitCode: 0, message: '{"verdict":"clean"}' })],
      expected: { kind: "succeeded", outputs: { verdict: "clean" }, note: undefined, finishedAt: "2026-01-01T00:02:00.000Z" },
    },
    {
      name: "complete: the newest pod wins",
      job: job([{ type: "Complete" }]),
      pods: [pod("2026-01-01T00:00:00Z", { exitCode: 0, message: '{"n":"old"}' }), pod("2026-01-01T00:05:00Z", { exitCode: 0, message: '{"n":"new"}' })],
      expected: { kind: "succeeded", outputs: { n: "new" } },
    },
    {
      name: "complete without pods: no outputs, and a note",
      job: job([{ type: "Complete" }]),
      pods: [],
      expected: { kind: "succeeded", outputs: {}, note: "the Job's Pod is gone; no outputs could be read" },
    },
    {
      name: "failed: exit code and message",
      job: job([{ type: "Failed", reason: "BackoffLimitExceeded" }]),
      pods: [pod("2026-01-01T00:00:00Z", { exitCode: 3, message: "disk full" })],
      expected: { kind: "failed", deadlineExceeded: false, message: "Job j1 failed (BackoffLimitExceeded): exit code 3: disk full" },
    },
    {
      name: "deadline exceeded with no pod that ran",
      job: job([{ type: "Failed", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" }]),
      pods: [],
      expected: { kind: "failed", deadlineExceeded: true, message: "Job j1 failed (DeadlineExceeded): Job was active longer than specified deadline" },
    },
    {
      name: "other containers are ignored",
      job: job([{ type: "Complete" }]),
      pods: [pod("2026-01-01T00:00:00Z", { exitCode: 0, message: '{"x":"1"}' }, "sidecar")],
      expected: { kind: "succeeded", outputs: {} },
    },
  ])("$name", ({ job: given, pods, expected }) => {
    const observation = observeJob(given, pods);
    expect(observation).toMatchObject(expected);
    expect(jobFinished(given)).toBe(expected.kind !== "active");
  });
});
