import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveActionTarget } from "../actions/target.ts";
import { alertsFromAlertmanagerWebhook, alertsFromHttpCloudEvents } from "../testing/ingest.ts";
import { incidentResources } from "./write/incident-spec-from-alert.ts";

const receivedAt = new Date("2026-11-28T00:00:00Z");

function accepted<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(`rejected: ${result.message}`);
  return result.value;
}

function webhook(labels: Record<string, string>): Uint8Array {
  const alert = { status: "firing", labels: { alertname: "ReplicasMismatch", severity: "warning", ...labels }, annotations: {}, startsAt: "2026-11-24T09:12:30Z", fingerprint: "4c3f1a7e9b2d6c80" };
  return Buffer.from(JSON.stringify({ version: "4", status: "firing", receiver: "kube-soar", alerts: [alert] }));
}

describe("a workload named by intake is the one actions scale", () => {
  it("takes the Deployment of a CloudEvent (fixture) as scaleWorkload's default target", () => {
    const body = readFileSync(new URL("../../../shared/fixtures/cloudevents/structured.json", import.meta.url));
    const [alert] = accepted(alertsFromHttpCloudEvents({ "content-type": "application/cloudevents+json" }, body, receivedAt));
    if (alert === undefined) throw new Error("no alert");
    const resources = incidentResources(alert);
    expect(resources.workload).toBe("Deployment/web");
    expect(resolveActionTarget("scaleWorkload", undefined, resources)).toEqual({ ok: true, target: { kind: "Deployment", namespace: "shop", name: "web" } });
  });

  it.each([
    [{ deployment: "web" }, "Deployment", "web"],
    [{ statefulset: "db" }, "StatefulSet", "db"],
    [{ workload_type: "statefulset", workload: "db" }, "StatefulSet", "db"],
  ])("takes an Alertmanager alert's workload %j as scaleWorkload's default %s", (labels, kind, name) => {
    const [alert] = accepted(alertsFromAlertmanagerWebhook(webhook({ namespace: "shop", ...labels }), receivedAt));
    if (alert === undefined) throw new Error("no alert");
    expect(resolveActionTarget("scaleWorkload", undefined, incidentResources(alert))).toEqual({ ok: true, target: { kind, namespace: "shop", name } });
  });
});
