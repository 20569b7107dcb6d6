import { Writable } from "node:stream";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionClients } from "../../src/actions/action-contract.ts";
import type { ActionOutcome } from "../../src/actions/action-outcome.ts";
import { createActionClients } from "../../src/actions/kube-calls.ts";
import { executeAction } from "../../src/actions/registry.ts";
import { resolveActionTarget } from "../../src/actions/target.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";

// Without a kubelet there are no logs: these tests pin the call and its failure shapes against
// the real API server; the bounding of captured logs is unit-tested (log-tail.test.ts).
const logger = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let clients: ActionClients;
let namespace: string;

async function run(pod: string, params: Record<string, string> = {}): Promise<ActionOutcome> {
  const resolved = resolveActionTarget("captureLogs", { name: pod }, { namespace });
  if (!resolved.ok) return resolved;
  return executeAction("captureLogs", {
    clients,
    protectedNodes: undefined,
    playbookNamespace: namespace,
    incident: { namespace, name: "inc-1", resources: { namespace, pod: "web-0", container: "app" } },
    target: resolved.target,
    params,
    dryRun: false,
    logger,
  });
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  clients = createActionClients(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "act-logs");
  await objects.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-0", namespace },
    spec: { containers: [{ name: "app", image: "registry.example/web:1" }, { name: "sidecar", image: "registry.example/proxy:1" }] },
  });
});

afterAll(async () => {
  await clients.core.deleteNamespace({ name: namespace });
});

describe("captureLogs", () => {
  it("reports the API server's reason when the pod has no node to read logs from", async () => {
    const outcome = await run("web-0", { tailLines: "50" });
    expect(outcome).toMatchObject({ ok: false, reason: "LogsUnavailable", retryable: true });
    expect(!outcome.ok && outcome.message).toMatch(new RegExp(`^captureLogs: the log of pod ${namespace}/web-0 is unavailable: .+`));
  });

  it.each<[string, string, Record<string, string>, string]>([
    ["a missing pod", "ghost", {}, "NotFound"],
    ["too many lines", "web-0", { tailLines: "5000" }, "InvalidParams"],
    ["a malformed container name", "web-0", { container: "app; cat /etc/shadow" }, "InvalidParams"],
  ])("refuses %s", async (_, pod, params, reason) => {
    expect(await run(pod, params)).toMatchObject({ ok: false, reason });
  });
});
