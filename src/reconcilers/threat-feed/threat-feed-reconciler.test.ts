import { describe, expect, it } from "vitest";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import type { ThreatFeed, ThreatFeedStatus } from "../../api/v1alpha1/types.generated.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import type { FeedLoadState } from "./feed-load-state.ts";
import { ThreatFeedReconciler } from "./threat-feed-reconciler.ts";

const context = { reconcileID: "r1", logger: silentLogger, signal: new AbortController().signal };
const now = new Date("2026-06-01T12:00:00Z");

function subject(feed: ThreatFeed | undefined, state: FeedLoadState | undefined) {
  const written: ThreatFeedStatus[] = [];
  const events: string[] = [];
  const reconciler = new ThreatFeedReconciler({
    feed: () => feed,
    states: { get: () => state, onChange: () => () => undefined },
    writeStatus: (object) => {
      written.push(object.status as ThreatFeedStatus);
      return Promise.resolve({ ...object, metadata: { ...object.metadata, resourceVersion: "6" } });
    },
    events: { record: (_subject, event) => { events.push(`${event.type} ${event.reason}: ${event.message}`); }, drain: () => Promise.resolve() },
    clock: { now: () => now },
  });
  return { reconciler, written, events };
}

const feed: ThreatFeed = { apiVersion: API_VERSION, kind: "ThreatFeed", metadata: { namespace: "soc", name: "ips", generation: 2, resourceVersion: "5" }, spec: { inline: [{ value: "203.0.113.5" }] } };
const failed: FeedLoadState = { generation: 2, ready: false, reason: "SourceNotFound", message: "spec.configMapRef: ConfigMap soc/ips does not exist; no indicators are in use" };

describe("ThreatFeedReconciler", () => {
  it("writes the loader's outcome into status once and records an Event for the Ready transition", async () => {
    const { reconciler, written, events } = subject(feed, failed);
    expect(await reconciler.reconcile("soc/ips", context)).toEqual({});
    expect(written).toMatchObject([{ observedGeneration: 2, conditions: [{ type: "Ready", status: "False", reason: "SourceNotFound" }] }]);
    expect(events).toEqual([`Warning SourceNotFound: ${failed.message}`]);
  });

  it("writes nothing when the status already says it", async () => {
    const first = subject(feed, failed);
    await first.reconciler.reconcile("soc/ips", context);
    const current: ThreatFeed = { ...feed, status: first.written[0] ?? {} };
    const again = subject(current, failed);
    expect(await again.reconciler.reconcile("soc/ips", context)).toEqual({});
    expect(again.written).toEqual([]);
    expect(again.events).toEqual([]);
  });

  it("writes nothing for a feed that is gone", async () => {
    const { reconciler, written } = subject(undefined, failed);
    expect(await reconciler.reconcile("soc/ips", context)).toEqual({});
    expect(written).toEqual([]);
  });
});
