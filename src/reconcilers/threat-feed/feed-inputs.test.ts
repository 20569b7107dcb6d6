import { describe, expect, it } from "vitest";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import type { ThreatFeed, ThreatFeedSpec } from "../../api/v1alpha1/types.generated.ts";
import { feedInputs, feedsReferencing, referencedConfigMaps, referencedSecrets, sourceKindOf } from "./feed-inputs.ts";

function feed(spec: ThreatFeedSpec, namespace = "team-a", name = "feed"): ThreatFeed {
  return { apiVersion: API_VERSION, kind: "ThreatFeed", metadata: { namespace, name, generation: 1 }, spec };
}

const http = { url: "https://feeds.example/ips.txt", caSecretRef: { name: "ca", key: "ca.crt" }, authHeader: { name: "Authorization", secretRef: { name: "token", key: "value" } } };

describe("sourceKindOf", () => {
  it.each<[ThreatFeedSpec, string | undefined]>([
    [{ inline: [{ value: "203.0.113.5" }] }, "inline"],
    [{ configMapRef: { name: "c", key: "k" } }, "configMap"],
    [{ secretRef: { name: "s", key: "k" } }, "secret"],
    [{ http }, "http"],
    [{}, undefined],
    [{ configMapRef: { name: "c", key: "k" }, secretRef: { name: "s", key: "k" } }, undefined],
  ])("%j is %s", (spec, kind) => {
    expect(sourceKindOf(spec)).toBe(kind);
  });
});

describe("references", () => {
  const feeds = [feed({ configMapRef: { name: "ips", key: "list" } }, "team-a", "a"), feed({ http }, "team-a", "b"), feed({ secretRef: { name: "token", key: "list" } }, "team-b", "c")];

  it("name the ConfigMaps and Secrets a feed reads", () => {
    expect(referencedConfigMaps({ configMapRef: { name: "ips", key: "list" } })).toEqual(["ips"]);
    expect(referencedSecrets({ http })).toEqual(["ca", "token"]);
    expect(referencedSecrets({ secretRef: { name: "s", key: "k" } })).toEqual(["s"]);
  });

  it("map a ConfigMap or Secret to the feeds of its own namespace naming it", () => {
    expect(feedsReferencing(feeds, "team-a", "ips", referencedConfigMaps)).toEqual(["team-a/a"]);
    expect(feedsReferencing(feeds, "team-a", "token", referencedSecrets)).toEqual(["team-a/b"]);
    expect(feedsReferencing(feeds, "team-b", "token", referencedSecrets)).toEqual(["team-b/c"]);
    expect(feedsReferencing(feeds, "team-b", "ips", referencedConfigMaps)).toEqual([]);
  });
});

describe("feedInputs", () => {
  const none = (): string | undefined => undefined;
  const versions = (entries: Record<string, string>) => (name: string): string | undefined => entries[name];

  it("change with the version of the ConfigMap a feed reads, not with other ConfigMaps", () => {
    const subject = feed({ configMapRef: { name: "ips", key: "list" } });
    const before = feedInputs(subject, versions({ ips: "1", other: "1" }), none);
    expect(feedInputs(subject, versions({ ips: "1", other: "2" }), none)).toEqual(before);
    expect(feedInputs(subject, versions({ ips: "2" }), none).content).not.toBe(before.content);
    expect(feedInputs(subject, none, none).content).not.toBe(before.content);
  });

  it("do not change with the description", () => {
    expect(feedInputs(feed({ inline: [{ value: "a.example" }], description: "x" }), none, none)).toEqual(feedInputs(feed({ inline: [{ value: "a.example" }] }), none, none));
  });

  it("keep the content of a URL when only how it is fetched changes, and call for a new attempt", () => {
    const before = feedInputs(feed({ http }), none, versions({ ca: "1", token: "1" }));
    const rotated = feedInputs(feed({ http }), none, versions({ ca: "1", token: "2" }));
    const slower = feedInputs(feed({ http: { ...http, timeout: "1m" } }), none, versions({ ca: "1", token: "1" }));
    expect([rotated.content, slower.content]).toEqual([before.content, before.content]);
    expect(rotated.attempt).not.toBe(before.attempt);
    expect(slower.attempt).not.toBe(before.attempt);
  });

  it("change the content with the URL, the format and the feed's settings", () => {
    const before = feedInputs(feed({ http }), none, none).content;
    expect(feedInputs(feed({ http: { ...http, url: "https://feeds.example/v2.txt" } }), none, none).content).not.toBe(before);
    expect(feedInputs(feed({ http, format: { type: "stix2" } }), none, none).content).not.toBe(before);
    expect(feedInputs(feed({ http, severity: "high" }), none, none).content).not.toBe(before);
  });
});
