import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAlertmanager, type RunningAlertmanager } from "../../hack/harness/alertmanager.ts";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { createPlaybook, listIncidents, testOptions, useIntakeSuite } from "./intake-helpers.ts";

const TOKEN = "alertmanager-receiver-token";
/** More alerts in one group than an Incident used to remember (64), so every repeat was recounted. */
const ALERTS = 80;

/** The number of webhook notifications Alertmanager reports as sent. */
async function notificationsSent(alertmanagerUrl: string): Promise<number> {
  const text = await (await fetch(`${alertmanagerUrl}/metrics`)).text();
  const line = text.split("\n").find((entry) => entry.startsWith('alertmanager_notifications_total{integration="webhook"'));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

async function postAlerts(alertmanagerUrl: string, endsAt: string): Promise<void> {
  const alerts = Array.from({ length: ALERTS }, (_, index) => ({
    labels: { alertname: "DiskFilling", severity: "critical", namespace: "shop", instance: `node-${String(index)}` },
    annotations: { summary: `disk filling on node-${String(index)}` },
    startsAt: "2026-11-28T10:00:00Z",
    endsAt,
  }));
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
  expect(response.status).toBe(200);
}

describe("Alertmanager as a producer", () => {
  const scratch = mkdtempSync(join(tmpdir(), "kube-soar-am-"));
  let namespace = "";
  let alertmanager: RunningAlertmanager | undefined;
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-am");
    const tokenFile = join(scratch, "tokens");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    // The whole group folds into one Incident, as a Playbook keyed on the group does.
    await createPlaybook(kubeConfig, namespace, {
      metadata: { name: "disk-group" },
      spec: {
        trigger: { types: ["io.prometheus.alertmanager.alert.v1"] },
        dedup: { key: "event.extensions.groupkey" },
        steps: [{ name: "notify", job: { image: "registry.example.com/notify:1" } }],
      },
    });
    // Alertmanager repeats a group every repeat_interval (4h by default), far beyond JetStream's
    // duplicate window; the window shrinks here instead of the test waiting hours.
    return testOptions({ natsUrl, defaultNamespace: namespace, receiver: { tokenFile }, nats: { duplicateWindowMs: 500 } });
  });

  beforeAll(async () => {
    alertmanager = await startAlertmanager({
      binDir: inject("binDir"),
      config: [
        "route:",
        "  receiver: kube-soar",
        "  group_by: [alertname]",
        "  group_wait: 1s",
        "  group_interval: 2s",
        "  repeat_interval: 3s",
        "receivers:",
        "  - name: kube-soar",
        "    webhook_configs:",
        `      - url: ${suite.intake.receiverUrl}/alertmanager`,
        "        send_resolved: true",
        "        http_config:",
        "          authorization:",
        `            credentials: ${TOKEN}`,
        "",
      ].join("\n"),
    });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const running = (): RunningAlertmanager => {
    if (alertmanager === undefined) throw new Error("alertmanager is not started");
    return alertmanager;
  };

  async function groupIncident(): Promise<Incident | undefined> {
    const incidents = await listIncidents(suite.kubeConfig, namespace);
    expect(incidents.length).toBeLessThanOrEqual(1);
    return incidents[0];
  }

  it("counts each alert of a group once through repeats, and records the resolve", async () => {
    await postAlerts(running().url, "2026-12-31T00:00:00Z");
    await waitFor(async () => (await groupIncident())?.status?.occurrences === ALERTS, { timeoutMs: 30_000, description: `${String(ALERTS)} occurrences` });
    const first = await notificationsSent(running().url);
    // At least two repeats of the whole group, delivered and folded.
    await waitFor(async () => (await notificationsSent(running().url)) >= first + 2, { timeoutMs: 30_000, description: "two repeat notifications" });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const repeated = await groupIncident();
    expect(repeated?.status?.occurrences).toBe(ALERTS);
    expect(repeated?.spec.playbooks).toEqual(["disk-group"]);

    await postAlerts(running().url, new Date(Date.now() - 1_000).toISOString());
    const resolved = await waitFor(
      async () => {
        const found = await groupIncident();
        return found?.status?.alertStatus === "resolved" ? found : undefined;
      },
      { timeoutMs: 30_000, description: "the resolve" },
    );
    expect(resolved.status?.occurrences).toBe(ALERTS);
    expect(resolved.status?.resolvedAlertAt).toBeDefined();
  });
});
