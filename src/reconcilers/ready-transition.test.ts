import { describe, expect, it } from "vitest";
import type { Condition } from "../api/v1alpha1/types.generated.ts";
import type { EventSubject, RecordedEvent } from "./event-recorder.ts";
import { recordReadyTransition } from "./ready-transition.ts";

const subject: EventSubject = { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Connector", namespace: "soc", name: "slack", uid: "u1" };
const ready = (status: Condition["status"], reason: string, message = "m"): Condition[] => [
  { type: "Ready", status, reason, message, lastTransitionTime: "2026-01-01T00:00:00.000Z" },
];

function recorded(before: Condition[] | undefined, after: Condition[] | undefined): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  recordReadyTransition({ record: (about, event) => { expect(about).toBe(subject); events.push(event); }, drain: () => Promise.resolve() }, subject, before, after);
  return events;
}

describe("recordReadyTransition", () => {
  it.each([
    { name: "a first Ready True", before: undefined, after: ready("True", "Succeeded", "ok"), event: { type: "Normal", reason: "Succeeded", message: "ok" } },
    { name: "Ready turning False", before: ready("True", "Succeeded"), after: ready("False", "SecretNotFound", "no key"), event: { type: "Warning", reason: "SecretNotFound", message: "no key" } },
    { name: "a new reason under the same status", before: ready("False", "SecretNotFound"), after: ready("False", "InvalidSpec", "bad"), event: { type: "Warning", reason: "InvalidSpec", message: "bad" } },
    { name: "Ready Unknown", before: ready("True", "Succeeded"), after: ready("Unknown", "Progressing", "p"), event: { type: "Warning", reason: "Progressing", message: "p" } },
  ])("records $name", ({ before, after, event }) => {
    expect(recorded(before, after)).toEqual([event]);
  });

  it.each([
    { name: "only the message changed", before: ready("False", "SecretNotFound", "old"), after: ready("False", "SecretNotFound", "new") },
    { name: "the new conditions have no Ready", before: ready("True", "Succeeded"), after: [] },
  ])("records nothing when $name", ({ before, after }) => {
    expect(recorded(before, after)).toEqual([]);
  });
});
