import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GROUP, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import { MAX_SUPPRESSION_SAMPLES } from "../../src/api/v1alpha1/schema/alert-suppression.ts";
import type { AlertSuppression, AlertSuppressionSpec, Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { SUPPRESSED_METRIC } from "../../src/ingest/intake-metrics.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { createPlaybook, listIncidents, metricValue, post, RECEIVER_AUTH, testOptions, useIntakeSuite } from "./intake-helpers.ts";
import { conditionOf, startControllers, type TestControllers } from "./reconciler-helpers.ts";

// Suppressions against the real API server and NATS: intake silences matching alerts before any
// Incident write, counts them in the suppression's status and in the metric, and stops at
// expiresAt; the controller reports Ready. Suppressions are created before intake starts, so
// its first list has them (intake consumes only once they are synced).
const BATCH = { ...RECEIVER_AUTH, "content-type": "application/cloudevents-batch+json" };
const FLOOD = 150;
/** Long enough for the flood to be handled first on a loaded machine, short enough to wait for. */
const NOISE_LIFETIME_MS = 30_000;

interface TestEvent {
  id: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

function batch(events: readonly TestEvent[]): string {
  return JSON.stringify(events.map((event) => ({ specversion: "1.0", source: "//suppression.test", severity: "high", ...event })));
}

async function createSuppression(kubeConfig: KubeConfig, namespace: string, name: string, spec: Omit<AlertSuppressionSpec, "createdBy" | "reason">): Promise<void> {
  await kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: Plural.AlertSuppression,
    body: { apiVersion: `${GROUP}/${VERSION}`, kind: "AlertSuppression", metadata: { name, namespace }, spec: { reason: "known noise", createdBy: "admin", ...spec } },
  });
}

async function readSuppression(kubeConfig: KubeConfig, namespace: string, name: string): Promise<AlertSuppression> {
  return (await kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.AlertSuppression, name })) as AlertSuppression;
}

function ofType(incidents: readonly Incident[], type: string): Incident[] {
  return incidents.filter((incident) => incident.spec.event?.type === type);
}

describe("a suppression against a flood of alerts", () => {
  const namespaces = { operator: "", tenantA: "", tenantB: "" };
  let noiseExpiresAt = 0;
  let controllers: TestControllers | undefined;
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespaces.operator = await createTestNamespace(kubeConfig, "suppress-operator");
    namespaces.tenantA = await createTestNamespace(kubeConfig, "suppress-a");
    namespaces.tenantB = await createTestNamespace(kubeConfig, "suppress-b");
    const tenantSpec = { trigger: { types: ["com.example.tenant"] }, steps: [{ name: "gate", approval: {} }] };
    for (const namespace of Object.values(namespaces)) await createPlaybook(kubeConfig, namespace, { metadata: { name: "tenant-alerts" }, spec: tenantSpec });
    noiseExpiresAt = Date.now() + NOISE_LIFETIME_MS;
    await createSuppression(kubeConfig, namespaces.operator, "noise", { types: ["com.example.noise"], match: "event.data.noisy == true", expiresAt: new Date(noiseExpiresAt).toISOString() });
    await createSuppression(kubeConfig, namespaces.operator, "broken", { types: ["com.example.broken"], match: "event.data.(", expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await createSuppression(kubeConfig, namespaces.tenantA, "quiet-tenant", { types: ["com.example.tenant"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    return testOptions({ natsUrl, defaultNamespace: namespaces.operator, watchNamespaces: Object.values(namespaces) });
  });

  beforeAll(async () => {
    controllers = await startControllers(suite.kubeConfig, namespaces.operator);
  });

  afterAll(async () => {
    await controllers?.stop();
  });

  it("silences every alert of the flood (no Incident, counted in status and metric, samples bounded), then stops at expiresAt", { timeout: 150_000 }, async () => {
    const { kubeConfig, intake } = suite;
    const flood = Array.from({ length: FLOOD }, (_, index) => ({ id: `noise-${String(index)}`, type: "com.example.noise", subject: `noise-${String(index)}`, data: { noisy: true } }));
    for (let start = 0; start < FLOOD; start += 50) {
      expect((await post(intake.receiverUrl, "/events", batch(flood.slice(start, start + 50)), BATCH)).status).toBe(202);
    }
    // An alert of the type the match rejects is not silenced.
    expect((await post(intake.receiverUrl, "/events", batch([{ id: "calm-1", type: "com.example.noise", subject: "calm-1", data: { noisy: false } }]), BATCH)).status).toBe(202);

    const counted = await waitFor(
      async () => {
        const suppression = await readSuppression(kubeConfig, namespaces.operator, "noise");
        return suppression.status?.matchedCount === FLOOD ? suppression : undefined;
      },
      { timeoutMs: 60_000, description: `matchedCount ${String(FLOOD)} in the suppression's status` },
    );
    expect(Date.now()).toBeLessThan(noiseExpiresAt);
    expect(counted.status?.samples).toHaveLength(MAX_SUPPRESSION_SAMPLES);
    expect(counted.status?.samples?.[0]).toMatchObject({ type: "com.example.noise", source: "//suppression.test", severity: "high" });
    expect(counted.status?.lastMatchedTime).toBe(counted.status?.samples?.at(-1)?.time);
    expect(conditionOf(counted)).toMatchObject({ status: "True", reason: "Active" });
    expect(await metricValue(intake.registry, SUPPRESSED_METRIC, { suppression: `${namespaces.operator}/noise` })).toBe(FLOOD);
    const calm = await waitFor(async () => {
      const found = ofType(await listIncidents(kubeConfig, namespaces.operator), "com.example.noise");
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 20_000, description: "the Incident of the alert the match rejects" });
    expect(calm.map((incident) => incident.spec.event?.id)).toEqual(["calm-1"]);

    const expired = await waitFor(
      async () => {
        const suppression = await readSuppression(kubeConfig, namespaces.operator, "noise");
        return conditionOf(suppression)?.reason === "Expired" ? suppression : undefined;
      },
      { timeoutMs: NOISE_LIFETIME_MS + 30_000, intervalMs: 250, description: "the suppression to say it expired" },
    );
    expect(conditionOf(expired)).toMatchObject({ status: "False", reason: "Expired" });
    expect(conditionOf(expired)?.message).toContain("spec.expiresAt: expired at");
    expect(expired.status?.matchedCount).toBe(FLOOD);

    expect((await post(intake.receiverUrl, "/events", batch([{ id: "after-expiry", type: "com.example.noise", subject: "after-expiry", data: { noisy: true } }]), BATCH)).status).toBe(202);
    await waitFor(async () => ofType(await listIncidents(kubeConfig, namespaces.operator), "com.example.noise").some((incident) => incident.spec.event?.id === "after-expiry"), {
      timeoutMs: 20_000,
      description: "the Incident of an alert sent after expiry",
    });
    expect(await metricValue(intake.registry, SUPPRESSED_METRIC, { suppression: `${namespaces.operator}/noise` })).toBe(FLOOD);
  });

  it("never silences with a suppression whose match does not compile, and reports it not Ready naming the field", async () => {
    const { kubeConfig, intake } = suite;
    const broken = await waitFor(
      async () => {
        const suppression = await readSuppression(kubeConfig, namespaces.operator, "broken");
        return conditionOf(suppression) === undefined ? undefined : suppression;
      },
      { timeoutMs: 20_000, description: "the broken suppression's Ready condition" },
    );
    const ready = conditionOf(broken);
    expect(ready).toMatchObject({ status: "False", reason: "InvalidExpression" });
    expect(ready?.message).toMatch(/^spec\.match: /);
    expect((await post(intake.receiverUrl, "/events", batch([{ id: "broken-1", type: "com.example.broken", subject: "broken-1", data: {} }]), BATCH)).status).toBe(202);
    await waitFor(async () => ofType(await listIncidents(kubeConfig, namespaces.operator), "com.example.broken").length === 1, { timeoutMs: 20_000, description: "the Incident the broken suppression did not silence" });
    expect(await metricValue(intake.registry, SUPPRESSED_METRIC, { suppression: `${namespaces.operator}/broken` })).toBe(0);
  });

  it("lets a tenant's suppression silence only the Incidents of its own namespace", async () => {
    const { kubeConfig, intake } = suite;
    const aboutA = { id: "about-a", type: "com.example.tenant", subject: "about-a", data: { namespace: namespaces.tenantA, pod: "web-0" } };
    const aboutB = { id: "about-b", type: "com.example.tenant", subject: "about-b", data: { namespace: namespaces.tenantB, pod: "db-0" } };
    expect((await post(intake.receiverUrl, "/events", batch([aboutA, aboutB]), BATCH)).status).toBe(202);
    // The operator's Playbook sees both alerts: their Incidents there are the last writes to wait for.
    await waitFor(async () => ofType(await listIncidents(kubeConfig, namespaces.operator), "com.example.tenant").length === 2, {
      timeoutMs: 20_000,
      description: "both alerts' Incidents in the operator's namespace: a tenant cannot silence them",
    });
    await waitFor(async () => ofType(await listIncidents(kubeConfig, namespaces.tenantB), "com.example.tenant").length === 1, {
      timeoutMs: 20_000,
      description: "the Incident of the alert about tenant B in B: A's suppression cannot silence it",
    });
    expect(ofType(await listIncidents(kubeConfig, namespaces.tenantA), "com.example.tenant")).toEqual([]);
    await waitFor(async () => (await readSuppression(kubeConfig, namespaces.tenantA, "quiet-tenant")).status?.matchedCount === 1, {
      timeoutMs: 20_000,
      description: "tenant A's suppression counting the one alert it silenced",
    });
    const quiet = await readSuppression(kubeConfig, namespaces.tenantA, "quiet-tenant");
    expect(quiet.status?.samples?.map((sample) => sample.namespace)).toEqual([namespaces.tenantA]);
  });
});
