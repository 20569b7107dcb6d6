import { CoreV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Connector } from "../../api/v1alpha1/types.generated.ts";
import { ConnectorReconciler } from "./connector-reconciler.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { unreachableKubeConfig } from "../../testing/unreachable-kube-config.ts";

const logger = silentLogger;
// Never called: nothing is read for a Connector that is gone.
const unreachable = unreachableKubeConfig();
const context = { reconcileID: "r1", logger, signal: new AbortController().signal };

function reconciler(found: Connector | undefined, released: string[]): ConnectorReconciler {
  return new ConnectorReconciler({
    connector: () => found,
    tenancy: () => ({ verified: true }),
    core: unreachable.makeApiClient(CoreV1Api),
    writeStatus: () => Promise.reject(new Error("no status is written for a Connector that is gone")),
    events: { record: () => undefined, drain: () => Promise.resolve() },
    clock: { now: () => new Date("2026-03-01T12:00:00Z") },
    released: (key) => { released.push(key); },
  });
}

describe("ConnectorReconciler", () => {
  it.each([
    { name: "a deleted Connector", found: undefined },
    {
      name: "a Connector being deleted",
      found: {
        apiVersion: API_VERSION,
        kind: "Connector",
        metadata: { namespace: "soc", name: "slack", deletionTimestamp: new Date("2026-03-01T11:00:00Z") },
        spec: { type: "slack", urlSecretRef: { name: "s", key: "url" } },
      } satisfies Connector,
    },
  ])("releases the pooled connections of $name and writes nothing", async ({ found }) => {
    const released: string[] = [];
    expect(await reconciler(found, released).reconcile("soc/slack", context)).toEqual({});
    expect(released).toEqual(["soc/slack"]);
  });

  it("reports a Connector whose Secrets the tenancy policy did not vouch for as not Ready, without reading a Secret", async () => {
    const connector: Connector = {
      apiVersion: API_VERSION,
      kind: "Connector",
      metadata: { namespace: "soc", name: "slack", generation: 1, resourceVersion: "5" },
      spec: { type: "slack", urlSecretRef: { name: "s", key: "url" } },
    };
    const written: unknown[] = [];
    const subject = new ConnectorReconciler({
      connector: () => connector,
      tenancy: () => ({ verified: false, reason: "TenancyUnverified", field: "spec.urlSecretRef", message: "the admission policy binding kube-soar-connector-secrets is missing" }),
      core: unreachable.makeApiClient(CoreV1Api),
      writeStatus: (object) => {
        written.push(object.status);
        return Promise.resolve(object);
      },
      events: { record: () => undefined, drain: () => Promise.resolve() },
      clock: { now: () => new Date("2026-03-01T12:00:00Z") },
      released: () => undefined,
    });
    expect(await subject.reconcile("soc/slack", context)).toEqual({});
    expect(written).toMatchObject([
      {
        observedGeneration: 1,
        conditions: [{ type: "Ready", status: "False", reason: "TenancyUnverified", message: "spec.urlSecretRef: the admission policy binding kube-soar-connector-secrets is missing" }],
      },
    ]);
  });
});
