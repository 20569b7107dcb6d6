import { hostname } from "node:os";
import { CoordinationV1Api, CoreV1Api, V1ConfigMap, V1ObjectMeta } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { startControlPlane, type ControlPlane } from "../../hack/harness/control-plane.ts";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { SharedInformer } from "../../src/runtime/informer.ts";
import { KubeHttpClient } from "../../src/runtime/kube-http.ts";
import type { KubeObject } from "../../src/runtime/kube-object.ts";
import { LeaderElector } from "../../src/runtime/leader-election.ts";
import { leaseLock } from "../../src/runtime/lease-lock.ts";
import { resourceListerWatcher } from "../../src/runtime/lister-watcher.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

function configMap(namespace: string, name: string): V1ConfigMap {
  const metadata = new V1ObjectMeta();
  metadata.name = name;
  metadata.namespace = namespace;
  const object = new V1ConfigMap();
  object.metadata = metadata;
  return object;
}

interface LogLine {
  msg: string;
}

function logCapture(): { logger: Logger; lines: LogLine[] } {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const logger = pino({ level: "debug" }, {
    write: (line: string) => {
      raw.push(line.trimEnd());
      lines.push(JSON.parse(line) as LogLine);
    },
  });
  onTestFailed(() => {
    console.error(["runtime log:", ...raw].join("\n"));
  });
  return { logger, lines };
}

const count = (lines: readonly LogLine[], msg: string): number => lines.filter((line) => line.msg === msg).length;

describe("the runtime across a kube-apiserver restart", () => {
  let controlPlane: ControlPlane | undefined;
  const stop = new AbortController();

  beforeAll(async () => {
    controlPlane = await startControlPlane({ profile: "integration", binDir: inject("binDir") });
  });
  afterAll(async () => {
    stop.abort();
    await controlPlane?.stop();
  });

  function running(): ControlPlane {
    if (controlPlane === undefined) throw new Error("the control plane did not start");
    return controlPlane;
  }

  it("an informer keeps delivering after the apiserver was down", async () => {
    const plane = running();
    const kubeConfig = loadKubeConfig(plane.kubeconfigPath);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kubeConfig, "runtime-restart");
    const { logger, lines } = logCapture();
    const informer = new SharedInformer<KubeObject>({
      resource: "configmaps",
      listerWatcher: resourceListerWatcher(new KubeHttpClient(kubeConfig), { path: `/api/v1/namespaces/${namespace}/configmaps` }),
      clock: systemRuntimeClock,
      logger,
      backoff: { initialMs: 200, maxMs: 2_000, factor: 2, jitter: 0.5 },
    });
    const added: string[] = [];
    informer.addEventHandler({ onAdd: (object) => added.push(object.metadata?.name ?? "") });
    const informerRun = informer.run(stop.signal);
    expect(await informer.waitForSync(stop.signal)).toBe(true);
    await core.createNamespacedConfigMap({ namespace, body: configMap(namespace, "before-restart") });
    await waitFor(() => added.includes("before-restart"), { timeoutMs: 20_000, description: "the add before the restart" });

    await plane.stopApiServer();
    await waitFor(() => count(lines, "watch failed; restarting") >= 3, {
      timeoutMs: 30_000,
      description: "three failed reconnection attempts while the apiserver is down",
    });
    await plane.startApiServer();
    await core.createNamespacedConfigMap({ namespace, body: configMap(namespace, "after-restart") });
    await waitFor(() => added.includes("after-restart"), { timeoutMs: 30_000, description: "the add after the restart" });

    expect(added).toEqual(["before-restart", "after-restart"]);
    expect(count(lines, "list-watch recovered")).toBeGreaterThanOrEqual(1);
    expect(informer.get(`${namespace}/after-restart`)?.metadata?.name).toBe("after-restart");
    stop.abort();
    await informerRun;
  });

  it("a leader whose renewals fail past the renew deadline stops leading", async () => {
    const plane = running();
    const kubeConfig = loadKubeConfig(plane.kubeconfigPath);
    const namespace = await createTestNamespace(kubeConfig, "runtime-renew");
    const { logger } = logCapture();
    const registry = new Registry();
    let leadingSignal: AbortSignal | undefined;
    let stopped = false;
    const elector = new LeaderElector({
      lock: leaseLock(kubeConfig.makeApiClient(CoordinationV1Api), namespace, "renew-deadline"),
      identity: `${hostname()}-renew`,
      name: "renew-deadline",
      timings: { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
      onStartedLeading: (signal) => {
        leadingSignal = signal;
        return new Promise((resolve) => { signal.addEventListener("abort", () => { resolve(); }); });
      },
      onStoppedLeading: () => {
        stopped = true;
      },
      clock: systemRuntimeClock,
      logger,
      registry,
    });
    const electorStop = new AbortController();
    const electorRun = elector.run(electorStop.signal);
    await waitFor(() => leadingSignal, { timeoutMs: 20_000, description: "leadership" });
    expect(await registry.metrics()).toContain('leader_election_master_status{name="renew-deadline"} 1');

    await plane.stopApiServer();
    await waitFor(() => stopped, { timeoutMs: 20_000, description: "leadership to end after failed renewals" });
    expect(leadingSignal?.aborted).toBe(true);
    expect(await registry.metrics()).toContain('leader_election_master_status{name="renew-deadline"} 0');
    await electorRun;
    electorStop.abort();
    await plane.startApiServer();
  });
});
