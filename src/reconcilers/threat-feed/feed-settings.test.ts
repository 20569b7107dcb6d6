import { describe, expect, it } from "vitest";
import { API_VERSION, THREAT_INDICATOR_TYPES } from "../../api/v1alpha1/constants.ts";
import { MAX_FEED_INDICATORS, MAX_FEED_LABEL_LENGTH, MAX_FEED_LABELS, MAX_STATUS_REJECTED_LINES } from "../../api/v1alpha1/schema/threat-feed.ts";
import type { ThreatFeed, ThreatFeedSpec } from "../../api/v1alpha1/types.generated.ts";
import { INDICATOR_TYPES, MAX_FEED_INDICATORS as INTEL_MAX_FEED_INDICATORS, MAX_INDICATOR_LABELS, MAX_LABEL_LENGTH, MAX_REPORTED_REJECTIONS } from "../../intel/index.ts";
import { feedFormatOf, feedSettingsOf } from "./feed-settings.ts";

describe("feedSettingsOf", () => {
  it("applies the schema's defaults", () => {
    const feed: ThreatFeed = { apiVersion: API_VERSION, kind: "ThreatFeed", metadata: { namespace: "soc", name: "ips" }, spec: { inline: [{ value: "203.0.113.5" }] } };
    expect(feedSettingsOf(feed)).toEqual({ key: "soc/ips", namespace: "soc", labels: [], defaultConfidence: 50, includeSubdomains: false });
  });

  it("carries every setting of the spec", () => {
    const spec: ThreatFeedSpec = { inline: [{ value: "a.example" }], severity: "high", labels: ["tlp:amber"], defaultConfidence: 80, includeSubdomains: true, expireAfter: "2h", maxIndicators: 10 };
    expect(feedSettingsOf({ apiVersion: API_VERSION, kind: "ThreatFeed", metadata: { namespace: "soc", name: "d" }, spec })).toEqual({
      key: "soc/d",
      namespace: "soc",
      severity: "high",
      labels: ["tlp:amber"],
      defaultConfidence: 80,
      includeSubdomains: true,
      expireAfterMs: 7_200_000,
      maxIndicators: 10,
    });
  });
});

describe("feedFormatOf", () => {
  it.each<[ThreatFeedSpec, unknown]>([
    [{ configMapRef: { name: "c", key: "k" } }, { kind: "list" }],
    [{ configMapRef: { name: "c", key: "k" }, format: { type: "list", indicatorType: "domain" } }, { kind: "list", type: "domain" }],
    [{ configMapRef: { name: "c", key: "k" }, format: { type: "stix2" } }, { kind: "stix2" }],
    [
      { configMapRef: { name: "c", key: "k" }, format: { type: "csv", csv: { valueColumn: "ioc", typeColumn: 1, expiresColumn: "until", header: true, delimiter: ";" } } },
      { kind: "csv", valueColumn: "ioc", typeColumn: 1, expiresColumn: "until", header: true, delimiter: ";" },
    ],
    [{ configMapRef: { name: "c", key: "k" }, format: { type: "csv" } }, undefined],
  ])("%j reads as %j", (spec, format) => {
    expect(feedFormatOf(spec)).toEqual(format);
  });
});

describe("the API's bounds and the intel package's", () => {
  it("agree on indicator types, the indicator cap, labels and reported rejections", () => {
    expect([...THREAT_INDICATOR_TYPES]).toEqual([...INDICATOR_TYPES]);
    expect(MAX_FEED_INDICATORS).toBe(INTEL_MAX_FEED_INDICATORS);
    expect([MAX_FEED_LABELS, MAX_FEED_LABEL_LENGTH]).toEqual([MAX_INDICATOR_LABELS, MAX_LABEL_LENGTH]);
    expect(MAX_STATUS_REJECTED_LINES).toBe(MAX_REPORTED_REJECTIONS);
  });
});
