import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { AlertSuppression } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { KubeHttpClient } from "../../runtime/kube-http.ts";
import { alertsFromHttpCloudEvents } from "../../testing/ingest.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { ManualClock } from "../../testing/manual-clock.ts";
import { metricValue } from "../../testing/metrics.ts";
import { aSuppression } from "../../testing/objects.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { createIntakeMetrics, SUPPRESSED_METRIC } from "../intake-metrics.ts";
import { AlertSuppressions } from "./alert-suppressions.ts";
import type { SuppressionStatusStore } from "./suppression-status-store.ts";
import { unreachableKubeConfig } from "../../testing/unreachable-kube-config.ts";

// Never contacted: the informers are not started.
const unreachable = unreachableKubeConfig();

const event = { specversion: "1.0", id: "e-1", source: "//s", type: "t", data: {} };
const decoded = alertsFromHttpCloudEvents({ "content-type": "application/cloudevents+json" }, Buffer.from(JSON.stringify(event)), FIXED_NOW);
if (!decoded.ok || decoded.value[0] === undefined) throw new Error("the test alert did not decode");
const alert = decoded.value[0];

/** A store in front of one suppression that answers 503 while `down` is set. */
function storeOf(suppression: AlertSuppression): SuppressionStatusStore & { down: boolean; current: AlertSuppression } {
  const store = {
    down: true,
    current: suppression,
    get: () => (store.down ? Promise.reject(new Error("the API server is away")) : Promise.resolve(store.current)),
    replaceStatus: (written: AlertSuppression) => {
      store.current = written;
      return Promise.resolve(written);
    },
  };
  return store;
}

describe("AlertSuppressions", () => {
  it("counts a silenced alert in the metric at once and in status once a write succeeds, keeping it across a failed write", async () => {
    const registry = new Registry();
    const store = storeOf(aSuppression({ status: { matchedCount: 2 } }));
    const suppressions = new AlertSuppressions({
      client: new KubeHttpClient(unreachable),
      store,
      expressions: createExpressionCompiler(),
      clock: new ManualClock(FIXED_NOW),
      logger: silentLogger,
      metrics: createIntakeMetrics(registry),
      operatorNamespace: "ns",
      watchNamespaces: [],
      maxDurationMs: 720 * 3_600_000,
    });
    suppressions.record(alert, { by: ["ns/sup"], silences: () => true });
    suppressions.record(alert, { by: ["ns/sup"], silences: () => true });
    expect(await metricValue(registry, SUPPRESSED_METRIC, { suppression: "ns/sup" })).toBe(2);
    await suppressions.flush();
    expect(store.current.status?.matchedCount).toBe(2);
    store.down = false;
    await suppressions.flush();
    expect(store.current.status).toMatchObject({ matchedCount: 4, lastMatchedTime: FIXED_NOW.toISOString(), samples: [{ type: "t", source: "//s" }, { type: "t", source: "//s" }] });
    await suppressions.flush();
    expect(store.current.status?.matchedCount).toBe(4);
  });
});
