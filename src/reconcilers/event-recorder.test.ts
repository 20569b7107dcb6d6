import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createQueuedEventRecorder, type EventSubject, type RecordedEvent } from "./event-recorder.ts";
import { API_VERSION } from "../api/v1alpha1/constants.ts";
import { silentLogger } from "../testing/silent-logger.ts";

const subject: EventSubject = { apiVersion: API_VERSION, kind: "Incident", namespace: "ns", name: "inc", uid: "u1" };

function event(reason: string): RecordedEvent {
  return { type: "Normal", reason, message: `${reason} happened` };
}

function deferred() {
  return Promise.withResolvers<undefined>();
}

function capturingLogger(lines: Record<string, unknown>[]) {
  return pino({ level: "warn" }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
}

describe("createQueuedEventRecorder", () => {
  it("returns at once and writes in the background with bounded concurrency, in order", async () => {
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const recorder = createQueuedEventRecorder<string>({
      build: (_subject, recorded) => recorded.reason,
      send: (body) => {
        started.push(body);
        const gate = deferred();
        gates.set(body, gate);
        return gate.promise;
      },
      logger: silentLogger,
      concurrency: 2,
    });
    for (const reason of ["A", "B", "C", "D"]) recorder.record(subject, event(reason));
    expect(started).toEqual(["A", "B"]);
    gates.get("A")?.resolve(undefined);
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(["A", "B", "C"]);
    let drained = false;
    const draining = recorder.drain().then(() => { drained = true; });
    gates.get("B")?.resolve(undefined);
    gates.get("C")?.resolve(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["A", "B", "C", "D"]);
    expect(drained).toBe(false);
    gates.get("D")?.resolve(undefined);
    await draining;
    expect(drained).toBe(true);
  });

  it("logs a failed write with the reason and object, and goes on with the next", async () => {
    const lines: Record<string, unknown>[] = [];
    const sent: string[] = [];
    const recorder = createQueuedEventRecorder<string>({
      build: (_subject, recorded) => recorded.reason,
      send: (body) => {
        sent.push(body);
        return body === "Bad" ? Promise.reject(new Error("apiserver said no")) : Promise.resolve();
      },
      logger: capturingLogger(lines),
      concurrency: 1,
    });
    recorder.record(subject, event("Bad"));
    recorder.record(subject, event("Good"));
    await recorder.drain();
    expect(sent).toEqual(["Bad", "Good"]);
    expect(lines).toEqual([expect.objectContaining({ msg: "event could not be recorded", reason: "Bad", object: "ns/inc" })]);
  });

  it("drops Events beyond the pending bound and says so", async () => {
    const lines: Record<string, unknown>[] = [];
    const gate = deferred();
    const sent: string[] = [];
    const recorder = createQueuedEventRecorder<string>({
      build: (_subject, recorded) => recorded.reason,
      send: (body) => {
        sent.push(body);
        return gate.promise;
      },
      logger: capturingLogger(lines),
      concurrency: 1,
      maxPending: 2,
    });
    for (const reason of ["A", "B", "C", "D"]) recorder.record(subject, event(reason));
    expect(lines).toEqual([expect.objectContaining({ msg: "event dropped: too many events waiting to be written", reason: "D", pending: 2 })]);
    gate.resolve(undefined);
    await recorder.drain();
    expect(sent).toEqual(["A", "B", "C"]);
  });

  it("drain resolves at once when nothing is queued", async () => {
    const recorder = createQueuedEventRecorder<string>({ build: () => "x", send: () => Promise.resolve(), logger: silentLogger });
    await expect(recorder.drain()).resolves.toBeUndefined();
  });
});
