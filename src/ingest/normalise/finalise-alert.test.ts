import { describe, expect, it } from "vitest";
import type { NormalisedAlert } from "./normalised-alert.ts";
import { alertProblems } from "../../testing/ingest.ts";
import { toCelEvent } from "../match/cel-event.ts";
import { finaliseAlert } from "./finalise-alert.ts";
import { DEFAULT_REDACTION_POLICY, REDACTED } from "./redaction.ts";

const draft: NormalisedAlert = {
  id: "1",
  source: "//s",
  type: "com.example.t",
  time: "2026-11-28T00:00:00Z",
  specversion: "1.0",
  kind: "cloudevent",
  status: "firing",
  severity: "high",
  titleText: "Login with token=abc123 \u202e failed",
  fingerprint: "a".repeat(64),
  resources: { namespace: "shop" },
  observables: [
    { type: "url", value: "https://evil.example/?token=abc" },
    { type: "user", value: "root" },
  ],
  labels: { secret_name: "db-creds", team: "a" },
  extensions: { authorization: "Basic eDp5", severity: "high" },
  data: { password: "p", note: "Bearer abcdefghijklmnop" },
};

describe("finaliseAlert", () => {
  it("redacts data, labels, extensions and the title, and drops observables redaction would alter", () => {
    const alert = finaliseAlert(draft, { redaction: DEFAULT_REDACTION_POLICY, maxDataBytes: 1024 });
    expect(alert).toEqual({
      id: "1",
      source: "//s",
      type: "com.example.t",
      time: "2026-11-28T00:00:00Z",
      specversion: "1.0",
      kind: "cloudevent",
      status: "firing",
      severity: "high",
      title: `Login with token=${REDACTED} failed`,
      fingerprint: "a".repeat(64),
      resources: { namespace: "shop" },
      observables: [{ type: "user", value: "root" }],
      labels: { secret_name: REDACTED, team: "a" },
      extensions: { authorization: REDACTED, severity: "high" },
      data: { password: REDACTED, note: REDACTED },
      dataTruncated: false,
    });
    expect(alertProblems(alert)).toEqual([]);
  });

  it("applies the policy's paths to the data only, its patterns everywhere", () => {
    const policy = { ...DEFAULT_REDACTION_POLICY, paths: ["/team"] };
    const alert = finaliseAlert({ ...draft, data: { team: "x", other: "y" } }, { redaction: policy, maxDataBytes: 1024 });
    expect(alert.data).toEqual({ team: REDACTED, other: "y" });
    expect(alert.labels).toEqual({ secret_name: REDACTED, team: "a" });
  });

  it("bounds the data after redaction and stores absent data as null", () => {
    const big = finaliseAlert({ ...draft, data: { blob: "x".repeat(5000) } }, { redaction: DEFAULT_REDACTION_POLICY, maxDataBytes: 1024 });
    expect(big.dataTruncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(big.data))).toBeLessThanOrEqual(1024);
    const none = finaliseAlert({ ...draft, data: undefined }, { redaction: DEFAULT_REDACTION_POLICY, maxDataBytes: 1024 });
    expect(none).toMatchObject({ data: null, dataTruncated: false });
  });

  it("redacts before cutting the title, so a long secret is never left half visible", () => {
    const alert = finaliseAlert({ ...draft, titleText: `${"t".repeat(240)} Bearer ${"s".repeat(40)}` }, { redaction: DEFAULT_REDACTION_POLICY, maxDataBytes: 1024 });
    expect(alert.title).not.toContain("ssss");
  });
});

describe("toCelEvent", () => {
  it("exposes every envelope key, with empty strings for unknowns and null for absent data", () => {
    const alert = finaliseAlert({ ...draft, data: undefined }, { redaction: DEFAULT_REDACTION_POLICY, maxDataBytes: 1024 });
    expect(toCelEvent(alert)).toEqual({
      specversion: "1.0",
      id: "1",
      source: "//s",
      type: "com.example.t",
      subject: "",
      time: "2026-11-28T00:00:00Z",
      kind: "cloudevent",
      status: "firing",
      severity: "high",
      title: alert.title,
      fingerprint: "a".repeat(64),
      data: null,
      datatruncated: false,
      extensions: alert.extensions,
      labels: alert.labels,
      resources: { namespace: "shop", pod: "", container: "", node: "", image: "", workload: "" },
      observables: [{ type: "user", value: "root" }],
    });
  });

  it("passes the subject through", () => {
    const alert = finaliseAlert({ ...draft, subject: "shop/pod/web-0" }, { redaction: DEFAULT_REDACTION_POLICY, maxDataBytes: 1024 });
    expect(toCelEvent(alert).subject).toBe("shop/pod/web-0");
  });
});
