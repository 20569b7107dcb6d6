import { describe, expect, it } from "vitest";
import type { Incident, TimelineEntry } from "../../api/v1alpha1/types.generated.ts";
import { newTimelineLines } from "./timeline-lines.ts";

function incident(name: string, timeline: TimelineEntry[]): Incident {
  return { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Incident", metadata: { name }, spec: { severity: "high", title: "t", fingerprint: "f", source: { kind: "falco" } }, status: { timeline } };
}

const started: TimelineEntry = { time: "2026-03-01T11:50:01Z", type: "Normal", reason: "RunStarted", playbook: "contain", message: "run started" };
const waiting: TimelineEntry = { time: "2026-03-01T11:50:03Z", type: "Normal", reason: "ApprovalPending", playbook: "contain", step: "gate", message: "waiting\u001b[2J" };
const rejected: TimelineEntry = { time: "2026-03-01T11:51:00Z", type: "Warning", reason: "Rejected", playbook: "contain", step: "gate" };

describe("newTimelineLines", () => {
  it("prints each entry once, oldest first, made printable", () => {
    const shown = new Map<string, Set<string>>();
    expect(newTimelineLines(incident("a", [started]), shown, false)).toEqual(["2026-03-01T11:50:01Z  Normal   RunStarted  contain: run started"]);
    expect(newTimelineLines(incident("a", [started, waiting, rejected]), shown, false)).toEqual([
      "2026-03-01T11:50:03Z  Normal   ApprovalPending  contain/gate: waiting\\u001b[2J",
      "2026-03-01T11:51:00Z  Warning  Rejected  contain/gate",
    ]);
    expect(newTimelineLines(incident("a", [started, waiting, rejected]), shown, false)).toEqual([]);
  });

  it("names the Incident when several share the output, and keeps them apart", () => {
    const shown = new Map<string, Set<string>>();
    expect(newTimelineLines(incident("a", [started]), shown, true)).toEqual(["2026-03-01T11:50:01Z  Normal   a  RunStarted  contain: run started"]);
    expect(newTimelineLines(incident("b", [started]), shown, true)).toHaveLength(1);
  });
});
