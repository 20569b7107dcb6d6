import { describe, expect, it } from "vitest";
import { alertsFromAlertmanagerWebhook, alertsFromHttpCloudEvents } from "../../testing/ingest.ts";
import type { Alert } from "../alert.ts";
import { alertRule, silencedSample } from "./silenced-sample.ts";

const at = new Date("2026-03-01T12:00:00Z");

function single(result: ReturnType<typeof alertsFromHttpCloudEvents>): Alert {
  if (!result.ok || result.value[0] === undefined) throw new Error("the test alert did not decode");
  return result.value[0];
}

describe("alertRule", () => {
  it("is the Falco rule of a Falco alert and the alert name of an Alertmanager alert, nothing for other CloudEvents", () => {
    expect(alertRule({ kind: "falco", labels: { rule: "Terminal shell in container" } })).toBe("Terminal shell in container");
    expect(alertRule({ kind: "alertmanager", labels: { alertname: "KubePodCrashLooping", rule: "not this" } })).toBe("KubePodCrashLooping");
    expect(alertRule({ kind: "cloudevent", labels: { rule: "made up" } })).toBeUndefined();
    expect(alertRule({ kind: "falco", labels: {} })).toBeUndefined();
  });
});

describe("silencedSample", () => {
  it("keeps the alert's identity, redacted title, rule and namespace, never its data", () => {
    const webhook = { version: "4", status: "firing", alerts: [{ status: "firing", labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "web-0", severity: "warning" }, annotations: { summary: "token=abcdef0123456789abcdef restarts" }, startsAt: "2026-03-01T11:00:00Z", fingerprint: "0123456789abcdef" }] };
    const alert = single(alertsFromAlertmanagerWebhook(Buffer.from(JSON.stringify(webhook)), at));
    const sample = silencedSample(alert, at);
    expect(sample).toEqual({ time: at.toISOString(), type: alert.type, source: alert.source, title: alert.title, rule: "KubePodCrashLooping", namespace: "shop", severity: alert.severity });
    expect(sample.title).not.toContain("abcdef0123456789abcdef");
  });

  it("leaves out the rule and namespace an alert does not have", () => {
    const event = { specversion: "1.0", id: "e-1", source: "//s", type: "com.example.t", data: { secret: "x" } };
    const sample = silencedSample(single(alertsFromHttpCloudEvents({ "content-type": "application/cloudevents+json" }, Buffer.from(JSON.stringify(event)), at)), at);
    expect(Object.keys(sample).sort()).toEqual(["severity", "source", "time", "title", "type"]);
  });
});
