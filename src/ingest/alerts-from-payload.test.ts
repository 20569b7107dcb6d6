import { describe, expect, it } from "vitest";
import { alertsFromAlertmanagerWebhook, alertsFromFalcoHttp, alertsFromHttpCloudEvents } from "../testing/ingest.ts";
import { DEFAULT_ALERT_INTAKE_OPTIONS } from "./alert-intake.ts";
import { alertsFromReceiverPayload } from "./alerts-from-payload.ts";

const receivedAt = new Date("2026-11-28T00:00:00Z");
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

const falco = json({ uuid: "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d", output: "shell", priority: "Critical", rule: "Terminal shell in container", time: "2026-11-20T11:03:55.402118007Z", source: "syscall", hostname: "worker-1", output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": "web-1", "proc.name": "bash" } });
const webhook = json({ version: "4", status: "firing", receiver: "soar", groupKey: "{}:{}", externalURL: "http://am:9093", alerts: [{ status: "firing", labels: { alertname: "A", severity: "critical", namespace: "shop", pod: "web-1" }, annotations: { summary: "s" }, startsAt: "2026-11-24T09:12:30.512Z", fingerprint: "abc" }] });
const cloudEvent = json({ specversion: "1.0", id: "e1", source: "//scanner", type: "com.example.found", time: "2026-11-25T14:00:00Z", data: { namespace: "shop" } });

describe("alertsFromReceiverPayload", () => {
  it("gives the alerts intake makes of a request, the same as decoding it straight away", () => {
    const headers = { "content-type": "application/json" };
    expect(alertsFromReceiverPayload({ route: "falco", headers, body: falco }, receivedAt, DEFAULT_ALERT_INTAKE_OPTIONS)).toEqual(alertsFromFalcoHttp(headers, falco, receivedAt));
    expect(alertsFromReceiverPayload({ route: "alertmanager", headers, body: webhook }, receivedAt, DEFAULT_ALERT_INTAKE_OPTIONS)).toEqual(alertsFromAlertmanagerWebhook(webhook, receivedAt));
    const structured = { "content-type": "application/cloudevents+json" };
    expect(alertsFromReceiverPayload({ route: "events", headers: structured, body: cloudEvent }, receivedAt, DEFAULT_ALERT_INTAKE_OPTIONS)).toEqual(alertsFromHttpCloudEvents(structured, cloudEvent, receivedAt));
  });

  it("refuses what the endpoint refuses", () => {
    const result = alertsFromReceiverPayload({ route: "alertmanager", headers: {}, body: json({ alerts: "none" }) }, receivedAt, DEFAULT_ALERT_INTAKE_OPTIONS);
    expect(result.ok).toBe(false);
  });
});
