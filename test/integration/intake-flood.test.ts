import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { floodFingerprint } from "../../src/ingest/write/flood-request.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { listIncidents, metricValue, post, RECEIVER_AUTH, testOptions, useIntakeSuite } from "./intake-helpers.ts";

const BATCH = { ...RECEIVER_AUTH, "content-type": "application/cloudevents-batch+json" };

/** `count` distinct unmatched critical alerts (distinct subjects: distinct Incidents) from `source`. */
function alerts(source: string, prefix: string, count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, index) => ({
      specversion: "1.0",
      id: `${prefix}-${String(index)}`,
      source,
      type: "com.example.flood",
      subject: `${prefix}-${String(index)}`,
      severity: "critical",
      data: {},
    })),
  );
}

function occurrences(incident: Incident): number {
  return incident.status?.occurrences ?? 0;
}

/** Alerts of `source` recorded: one per ordinary Incident opened for it, plus those counted in its flood Incident. */
function recorded(incidents: readonly Incident[], source: string): { opened: Incident[]; flood: Incident[]; total: number } {
  const opened = incidents.filter((incident) => incident.spec.event?.source === source && incident.spec.fingerprint !== floodFingerprint(source));
  const flood = incidents.filter((incident) => incident.spec.fingerprint === floodFingerprint(source));
  return { opened, flood, total: opened.length + flood.reduce((sum, incident) => sum + occurrences(incident), 0) };
}

describe("creation budgets against a flood of distinct alerts over HTTP", () => {
  let namespace = "";
  const burst = 20;
  const perMinute = 60;
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-flood");
    return testOptions({
      natsUrl,
      defaultNamespace: namespace,
      intake: { creation: { global: { burst: 200, perMinute: 6_000 }, perSource: { burst, perMinute }, maxSources: 100, unmatchedMaxOpen: 1_000 } },
    });
  });

  it("opens at most burst + rate × time Incidents for one source, folds the rest into one flood Incident and counts them; another source still gets its own", async () => {
    const source = "//forged.flood.test";
    const count = 300;
    const started = performance.now();
    for (let batch = 0; batch < count / 30; batch++) {
      const response = await post(suite.intake.receiverUrl, "/events", alerts(source, `forged-${String(batch)}`, 30), BATCH);
      expect(response.status).toBe(202);
    }
    const flood = await waitFor(
      async () => {
        const found = recorded(await listIncidents(suite.kubeConfig, namespace), source);
        return found.total === count ? found : undefined;
      },
      { timeoutMs: 60_000, description: `all ${String(count)} alerts recorded` },
    );
    const seconds = (performance.now() - started) / 1000;
    expect(flood.opened.length).toBeGreaterThanOrEqual(burst);
    expect(flood.opened.length).toBeLessThanOrEqual(burst + Math.ceil((perMinute / 60) * seconds));
    expect(flood.flood).toHaveLength(1);
    const [floodIncident] = flood.flood;
    expect(floodIncident?.spec.playbooks).toBeUndefined();
    expect(floodIncident?.spec.title).toContain(source);
    expect(occurrences(floodIncident as Incident)).toBe(count - flood.opened.length);
    expect(await metricValue(suite.intake.registry, "soar_intake_over_budget_total", { limit: "source" })).toBe(count - flood.opened.length);

    const genuine = "//genuine.flood.test";
    expect((await post(suite.intake.receiverUrl, "/events", alerts(genuine, "genuine", 3), BATCH)).status).toBe(202);
    const own = await waitFor(
      async () => {
        const found = recorded(await listIncidents(suite.kubeConfig, namespace), genuine);
        return found.total === 3 ? found : undefined;
      },
      { timeoutMs: 30_000, description: "the other source's three alerts" },
    );
    expect(own.opened).toHaveLength(3);
    expect(own.flood).toHaveLength(0);
  });
});

describe("creation budgets against unmatched alerts from many forged sources", () => {
  let namespace = "";
  const globalBurst = 10;
  const unmatchedMaxOpen = 4;
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-flood-sources");
    return testOptions({
      natsUrl,
      defaultNamespace: namespace,
      intake: { creation: { global: { burst: globalBurst, perMinute: 0 }, perSource: { burst: 5, perMinute: 0 }, maxSources: 8, unmatchedMaxOpen } },
    });
  });

  it("caps unmatched Incidents, opens no more than the global budget plus one flood Incident of all sources, and counts every alert", async () => {
    const count = 60;
    const events = Array.from({ length: count }, (_, index) => JSON.parse(alerts(`//forged-${String(index)}.flood.test`, `sprayed-${String(index)}`, 1)) as unknown[]).flat();
    expect((await post(suite.intake.receiverUrl, "/events", JSON.stringify(events), BATCH)).status).toBe(202);
    const incidents = await waitFor(
      async () => {
        const found = await listIncidents(suite.kubeConfig, namespace);
        const floods = found.filter((incident) => incident.spec.title.startsWith("Alert flood"));
        const total = found.length - floods.length + floods.reduce((sum, incident) => sum + occurrences(incident), 0);
        return total === count ? found : undefined;
      },
      { timeoutMs: 60_000, description: `all ${String(count)} alerts recorded` },
    );
    const ordinary = incidents.filter((incident) => !incident.spec.title.startsWith("Alert flood"));
    expect(ordinary).toHaveLength(unmatchedMaxOpen);
    expect(incidents.length).toBeLessThanOrEqual(globalBurst + 1);
    expect(incidents.filter((incident) => incident.spec.fingerprint === floodFingerprint(undefined))).toHaveLength(1);
    const overBudget =
      (await metricValue(suite.intake.registry, "soar_intake_over_budget_total", { limit: "unmatched" })) +
      (await metricValue(suite.intake.registry, "soar_intake_over_budget_total", { limit: "global" }));
    expect(overBudget).toBe(count - unmatchedMaxOpen);
  });
});
