import { describe, expect, it } from "vitest";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import type { ThreatFeed, ThreatFeedStatus } from "../../api/v1alpha1/types.generated.ts";
import type { FeedLoadState, LoadedIndex } from "./feed-load-state.ts";
import { threatFeedStatus } from "./threat-feed-status.ts";

const now = new Date("2026-06-01T12:00:00Z");
const loadedAt = new Date("2026-06-01T11:00:00Z");

function feed(status?: ThreatFeedStatus): ThreatFeed {
  return { apiVersion: API_VERSION, kind: "ThreatFeed", metadata: { namespace: "soc", name: "ips", generation: 3 }, spec: { http: { url: "https://feeds.example/ips" } }, ...(status === undefined ? {} : { status }) };
}

const loaded: LoadedIndex = {
  counts: { ipv4: 3, ipv6: 1, domain: 0, url: 0, sha256: 0, sha1: 0, md5: 0 },
  total: 4,
  rejected: { count: 7, first: [{ line: 2, reason: "bad" }] },
  unsupportedPatterns: 0,
  expired: 1,
};

describe("threatFeedStatus", () => {
  it("is Ready=Unknown Progressing before the first load, leaving the rest as it was", () => {
    expect(threatFeedStatus(feed({ observedGeneration: 2 }), undefined, now)).toEqual({
      observedGeneration: 2,
      conditions: [{ type: "Ready", status: "Unknown", observedGeneration: 3, lastTransitionTime: now.toISOString(), reason: "Progressing", message: "the feed has not been loaded yet" }],
    });
  });

  it("describes the index in use after a load", () => {
    const state: FeedLoadState = { generation: 3, ready: true, reason: "Loaded", message: "4 indicators loaded", loaded, lastRefreshTime: loadedAt };
    expect(threatFeedStatus(feed(), state, now)).toEqual({
      conditions: [{ type: "Ready", status: "True", observedGeneration: 3, lastTransitionTime: now.toISOString(), reason: "Loaded", message: "4 indicators loaded" }],
      observedGeneration: 3,
      indicators: { total: 4, ipv4: 3, ipv6: 1, domain: 0, url: 0, sha256: 0, sha1: 0, md5: 0 },
      rejected: { count: 7, lines: [{ line: 2, reason: "bad" }] },
      unsupportedPatterns: 0,
      expired: 1,
      lastRefreshTime: loadedAt.toISOString(),
    });
  });

  it("keeps describing the kept index when a refresh fails", () => {
    const state: FeedLoadState = { generation: 3, ready: false, reason: "TooLarge", message: "too large; kept", loaded, lastRefreshTime: loadedAt };
    const status = threatFeedStatus(feed(), state, now);
    expect(status.conditions?.[0]).toMatchObject({ status: "False", reason: "TooLarge" });
    expect(status).toMatchObject({ indicators: { total: 4 }, lastRefreshTime: loadedAt.toISOString() });
  });

  it("drops the description of an index no longer held", () => {
    const before = threatFeedStatus(feed(), { generation: 3, ready: true, reason: "Loaded", message: "ok", loaded, lastRefreshTime: loadedAt }, now);
    const after = threatFeedStatus(feed(before), { generation: 3, ready: false, reason: "TenancyUnverified", message: "no" }, now);
    expect(after).toEqual({ conditions: [expect.objectContaining({ status: "False", reason: "TenancyUnverified" })], observedGeneration: 3 });
  });
});
