import { CoreV1Api, V1ConfigMap, V1ObjectMeta } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { Controller } from "../../src/runtime/controller.ts";
import { InformerFactory } from "../../src/runtime/informer-factory.ts";
import { enqueueKeys, type EventHandler } from "../../src/runtime/informer.ts";
import type { KubeObject } from "../../src/runtime/kube-object.ts";
import { KubeHttpClient } from "../../src/runtime/kube-http.ts";
import { WorkQueue } from "../../src/runtime/work-queue.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

function configMap(namespace: string, name: string, data: Record<string, string>): V1ConfigMap {
  const metadata = new V1ObjectMeta();
  metadata.name = name;
  metadata.namespace = namespace;
  const object = new V1ConfigMap();
  object.metadata = metadata;
  object.data = data;
  return object;
}

function logCapture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => { lines.push(line.trimEnd()); } });
  onTestFailed(() => {
    console.error(["runtime log:", ...lines].join("\n"));
  });
  return { logger, lines };
}

describe("a shared informer on ConfigMaps against a real apiserver", () => {
  const kubeConfig = loadKubeConfig();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  let namespace = "";
  const stop = new AbortController();

  beforeAll(async () => {
    namespace = await createTestNamespace(kubeConfig, "runtime-informer");
  });
  afterAll(() => {
    stop.abort();
  });

  it("delivers add, update and delete, and caches objects without managedFields", async () => {
    const { logger } = logCapture();
    const factory = new InformerFactory({ client: new KubeHttpClient(kubeConfig), clock: systemRuntimeClock, logger });
    const informer = factory.informerFor<ConfigMapObject>({ path: `/api/v1/namespaces/${namespace}/configmaps`, resource: "configmaps" });
    expect(factory.informerFor<ConfigMapObject>({ path: `/api/v1/namespaces/${namespace}/configmaps`, resource: "configmaps" })).toBe(informer);

    await core.createNamespacedConfigMap({ namespace, body: configMap(namespace, "before-start", { phase: "listed" }) });
    const seen: string[] = [];
    const handler: EventHandler<ConfigMapObject> = {
      onAdd: (object) => seen.push(`add ${object.metadata?.name ?? ""} ${JSON.stringify(object.data)}`),
      onUpdate: (old, object) => {
        if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
          seen.push(`update ${object.metadata?.name ?? ""} ${JSON.stringify(object.data)}`);
        }
      },
      onDelete: (object) => seen.push(`delete ${object.metadata?.name ?? ""}`),
    };
    informer.addEventHandler(handler);
    factory.start(stop.signal);
    expect(await factory.waitForSync(stop.signal)).toBe(true);
    expect(seen).toEqual(['add before-start {"phase":"listed"}']);

    await core.createNamespacedConfigMap({ namespace, body: configMap(namespace, "watched", { v: "1" }) });
    await core.replaceNamespacedConfigMap({ name: "watched", namespace, body: configMap(namespace, "watched", { v: "2" }) });
    await core.deleteNamespacedConfigMap({ name: "watched", namespace });
    await waitFor(() => seen.length >= 4, { timeoutMs: 20_000, description: "watch events for ConfigMap watched" });
    expect(seen).toEqual(['add before-start {"phase":"listed"}', 'add watched {"v":"1"}', 'update watched {"v":"2"}', "delete watched"]);

    const cached = informer.get(`${namespace}/before-start`);
    expect(cached?.data).toEqual({ phase: "listed" });
    expect(cached?.kind).toBe("ConfigMap");
    expect(cached?.metadata?.managedFields).toBeUndefined();
    const stored = await core.readNamespacedConfigMap({ name: "before-start", namespace });
    expect(stored.metadata?.managedFields?.length).toBeGreaterThan(0);
    expect(informer.listByNamespace(namespace).map((object) => object.metadata?.name)).toEqual(["before-start"]);
  });

  it("feeds a controller: keys from the informer reach reconcile, which reads the cache", async () => {
    const { logger } = logCapture();
    const registry = new Registry();
    const factory = new InformerFactory({ client: new KubeHttpClient(kubeConfig), clock: systemRuntimeClock, logger });
    const informer = factory.informerFor<ConfigMapObject>({
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      resource: "configmaps",
      labelSelector: "runtime-test=controller",
    });
    const queue = new WorkQueue({ name: "configmaps", registry, clock: systemRuntimeClock });
    informer.addEventHandler(enqueueKeys(queue));
    const reconciled = new Map<string, string | undefined>();
    const controller = new Controller({
      name: "configmaps",
      queue,
      maxConcurrentReconciles: 2,
      registry,
      logger,
      reconcile: (key) => {
        reconciled.set(key, informer.get(key)?.data?.value);
        return Promise.resolve(undefined);
      },
    });
    const controllerStop = new AbortController();
    factory.start(stop.signal);
    expect(await factory.waitForSync(stop.signal)).toBe(true);
    const running = controller.start(controllerStop.signal);

    const labelled = configMap(namespace, "reconciled", { value: "seen" });
    labelled.metadata = Object.assign(labelled.metadata ?? new V1ObjectMeta(), { labels: { "runtime-test": "controller" } });
    await core.createNamespacedConfigMap({ namespace, body: labelled });
    await core.createNamespacedConfigMap({ namespace, body: configMap(namespace, "unlabelled", { value: "ignored" }) });
    await waitFor(() => reconciled.get(`${namespace}/reconciled`) === "seen", {
      timeoutMs: 20_000,
      description: "a reconcile of the labelled ConfigMap",
    });
    expect([...reconciled.keys()]).toEqual([`${namespace}/reconciled`]);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/controller_runtime_reconcile_total\{controller="configmaps",result="success"\} [1-9]/);
    expect(metrics).toMatch(/workqueue_adds_total\{name="configmaps"\} [1-9]/);
    controllerStop.abort();
    await running;
  });
});
