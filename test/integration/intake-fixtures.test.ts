import type { NatsConnection } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { decodeAlertmanagerWebhook } from "../../src/ingest/decode/decode-alertmanager-webhook.ts";
import { structuredEventJson } from "../../src/ingest/transport/nats-publisher.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import {
  createPlaybook,
  fixtureBytes,
  getIncident,
  headerFixture,
  listIncidents,
  post,
  publish,
  RECEIVER_AUTH,
  testOptions,
  useIntakeSuite,
} from "./intake-helpers.ts";

type Transport = "nats" | "http";

/** How a fixture is sent over each transport. */
interface Delivery {
  nats: (connection: NatsConnection) => Promise<void>;
  http: (receiverUrl: string) => Promise<void>;
}

const falcoJson = (file: string, subject: string): Delivery => ({
  nats: (connection) => publish(connection, subject, fixtureBytes(file)),
  http: async (url) => {
    const response = await post(url, "/falco", fixtureBytes(file), { ...RECEIVER_AUTH, "content-type": "application/json" });
    expect(response.status).toBe(202);
  },
});

const falcosidekickCloudEvent: Delivery = (() => {
  // The same rule on the same pod, another alert: Falcosidekick gave it another uuid.
  const alert = fixtureBytes("falco/terminal-shell-in-container.json").toString("utf8").replace("3f1c2a9e-5b7d-4e8a-9c0f-1d2e3f4a5b6c", "9d4e7b21-0c6a-4f3e-8b5d-2a1c7e9f0b34");
  const { headers, body } = headerFixture("cloudevents/falcosidekick-http-binary.txt", Buffer.from(alert, "utf8"));
  return {
    nats: (connection) => publish(connection, "soar.events.falcosidekick", body, headers),
    http: async (url) => {
      const response = await post(url, "/falco", body, { ...RECEIVER_AUTH, ...headers });
      expect(response.status).toBe(202);
    },
  };
})();

const alertmanagerWebhook = (file: string): Delivery => ({
  // Over NATS an Alertmanager alert arrives as the structured CloudEvent any producer may send.
  nats: async (connection) => {
    const events = decodeAlertmanagerWebhook(fixtureBytes(file));
    if (!events.ok) throw new Error(events.message);
    for (const event of events.value) {
      await publish(connection, "soar.events.alertmanager", Buffer.from(structuredEventJson(event)), { "content-type": "application/cloudevents+json" });
    }
  },
  http: async (url) => {
    const response = await post(url, "/alertmanager", fixtureBytes(file), { ...RECEIVER_AUTH, "content-type": "application/json" });
    expect(response.status).toBe(202);
  },
});

const structuredCloudEvent: Delivery = {
  nats: (connection) => publish(connection, "soar.events.scanner", fixtureBytes("cloudevents/structured.json"), { "content-type": "application/cloudevents+json" }),
  http: async (url) => {
    const response = await post(url, "/events", fixtureBytes("cloudevents/structured.json"), { ...RECEIVER_AUTH, "content-type": "application/cloudevents+json" });
    expect(response.status).toBe(202);
  },
};

const binaryCloudEvent: Delivery = (() => {
  const { headers, body } = headerFixture("cloudevents/binary-nats.txt");
  return {
    nats: (connection) => publish(connection, "soar.events.scanner", body, headers),
    http: async (url) => {
      const response = await post(url, "/events", body, { ...RECEIVER_AUTH, ...headers, "content-type": "application/json" });
      expect(response.status).toBe(202);
    },
  };
})();

/** What each fixture must become, in sending order (later ones may fold into earlier ones). */
interface Expectation {
  fixture: string;
  delivery: Delivery;
  /** Namespace key: "playbooks" (matched by the test Playbook) or "default". */
  namespace: "playbooks" | "default";
  incidents: {
    name: string;
    severity: Incident["spec"]["severity"];
    kind: Incident["spec"]["source"]["kind"];
    title: string;
    resources: Incident["spec"]["resources"];
    occurrences: number;
    alertStatus?: "firing" | "resolved";
    playbooks?: string[];
  }[];
}

const shellIncident = {
  name: "falco-terminal-shell-in-container-705c94452a",
  severity: "low" as const,
  kind: "falco" as const,
  title: "Terminal shell in container",
  resources: { namespace: "shop", pod: "web-6d8f7b9c4-x2k9p", container: "web", node: "worker-2", image: "registry.example.com/shop/web:1.14.2" },
  playbooks: ["shell-response"],
};

const crashLoopApi = {
  name: "kubepodcrashlooping-07daf86fcf",
  severity: "medium" as const,
  kind: "alertmanager" as const,
  title: "KubePodCrashLooping: Pod is crash looping.",
  resources: { namespace: "payments", pod: "payments-api-5c9d7f-8xkq2", container: "api" },
};

const vulnerability = {
  name: "com-example-vulnerability-detected-20dcda7438",
  severity: "high" as const,
  kind: "cloudevent" as const,
  title: "com.example.vulnerability.detected: shop/deployment/web",
  resources: { namespace: "shop", image: "registry.example.com/shop/web:1.14.2", workload: "Deployment/web" },
};

const expectations: Expectation[] = [
  {
    fixture: "falco/terminal-shell-in-container.json",
    delivery: falcoJson("falco/terminal-shell-in-container.json", "falco.notice.terminal_shell_in_container"),
    namespace: "playbooks",
    incidents: [{ ...shellIncident, occurrences: 1 }],
  },
  {
    fixture: "cloudevents/falcosidekick-http-binary.txt (same alert, another uuid: folds)",
    delivery: falcosidekickCloudEvent,
    namespace: "playbooks",
    incidents: [{ ...shellIncident, occurrences: 2 }],
  },
  {
    fixture: "falco/crypto-miner-outbound.json",
    delivery: falcoJson("falco/crypto-miner-outbound.json", "falco.critical.detect_outbound_connections_to_common_miner_pool_ports"),
    namespace: "default",
    incidents: [
      {
        name: "falco-detect-outbound-connections-to-common-miner-po-6293a09e36",
        severity: "critical",
        kind: "falco",
        title: "Detect outbound connections to common miner pool ports",
        resources: { namespace: "batch", pod: "report-gen-7f9c-kq2lz", container: "worker", node: "worker-1" },
        occurrences: 1,
      },
    ],
  },
  {
    fixture: "falco/k8s-audit-exec.json",
    delivery: falcoJson("falco/k8s-audit-exec.json", "falco.notice.attach_exec_pod"),
    namespace: "default",
    incidents: [
      { name: "falco-attach-exec-pod-e9208e4b28", severity: "low", kind: "falco", title: "Attach/Exec Pod", resources: { namespace: "payments", pod: "payments-api-0" }, occurrences: 1 },
    ],
  },
  {
    fixture: "falco/write-below-binary-dir.json",
    delivery: falcoJson("falco/write-below-binary-dir.json", "falco.error.write_below_binary_dir"),
    namespace: "default",
    incidents: [
      { name: "falco-write-below-binary-dir-31c747211e", severity: "high", kind: "falco", title: "Write below binary dir", resources: { node: "worker-3" }, occurrences: 1 },
    ],
  },
  {
    fixture: "falco/hostile-fields.json",
    delivery: falcoJson("falco/hostile-fields.json", "falco.warning.run_shell_untrusted"),
    namespace: "default",
    incidents: [
      { name: "falco-run-shell-untrusted-ff138ffea0", severity: "medium", kind: "falco", title: "Run shell untrusted", resources: { namespace: "shop", node: "worker-2" }, occurrences: 1 },
    ],
  },
  {
    fixture: "alertmanager/crashloop-firing.json",
    delivery: alertmanagerWebhook("alertmanager/crashloop-firing.json"),
    namespace: "default",
    incidents: [
      { ...crashLoopApi, occurrences: 1, alertStatus: "firing" },
      {
        name: "kubepodcrashlooping-0e26b05104",
        severity: "medium",
        kind: "alertmanager",
        title: "KubePodCrashLooping: Pod is crash looping.",
        resources: { namespace: "payments", pod: "payments-worker-77b9d-2mzzc", container: "worker" },
        occurrences: 1,
        alertStatus: "firing",
      },
    ],
  },
  {
    fixture: "alertmanager/crashloop-resolved.json (recorded on the open Incident)",
    delivery: alertmanagerWebhook("alertmanager/crashloop-resolved.json"),
    namespace: "default",
    incidents: [{ ...crashLoopApi, occurrences: 1, alertStatus: "resolved" }],
  },
  {
    fixture: "cloudevents/structured.json",
    delivery: structuredCloudEvent,
    namespace: "default",
    incidents: [{ ...vulnerability, occurrences: 1 }],
  },
  {
    fixture: "cloudevents/binary-nats.txt (same subject, new id: folds)",
    delivery: binaryCloudEvent,
    namespace: "default",
    incidents: [{ ...vulnerability, occurrences: 2 }],
  },
];

describe.each<Transport>(["nats", "http"])("every fixture through %s", (transport) => {
  const namespaces = { playbooks: "", default: "" };
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespaces.playbooks = await createTestNamespace(kubeConfig, `intake-pb-${transport}`);
    namespaces.default = await createTestNamespace(kubeConfig, `intake-default-${transport}`);
    await createPlaybook(kubeConfig, namespaces.playbooks, {
      metadata: { name: "shell-response" },
      spec: {
        trigger: { types: ["falco.rule.output.v1"], when: 'event.data.rule == "Terminal shell in container"' },
        steps: [{ name: "notify", job: { image: "registry.example.com/notify:1" } }],
      },
    });
    return testOptions({ natsUrl, defaultNamespace: namespaces.default, operatorNamespace: namespaces.playbooks, watchNamespaces: [namespaces.playbooks, namespaces.default] });
  });

  for (const expectation of expectations) {
    it(`${expectation.fixture} becomes the expected Incident`, async () => {
      if (transport === "nats") await expectation.delivery.nats(suite.connection);
      else await expectation.delivery.http(suite.intake.receiverUrl);
      const namespace = namespaces[expectation.namespace];
      for (const expected of expectation.incidents) {
        const incident = await waitFor(
          async () => {
            const found = await getIncident(suite.kubeConfig, namespace, expected.name);
            return found?.status?.occurrences === expected.occurrences && (expected.alertStatus === undefined || found.status.alertStatus === expected.alertStatus)
              ? found
              : undefined;
          },
          { timeoutMs: 20_000, description: `Incident ${namespace}/${expected.name} with ${String(expected.occurrences)} occurrence(s)` },
        );
        expect(incident.spec).toMatchObject({
          severity: expected.severity,
          title: expected.title,
          source: { kind: expected.kind },
          resources: expected.resources,
        });
        expect(incident.spec.playbooks ?? []).toEqual(expected.playbooks ?? []);
        expect(incident.spec.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(incident.status?.recentEvents).toHaveLength(expected.occurrences + (expected.alertStatus === "resolved" ? 1 : 0));
        expect(incident.status?.alertStatus).toBe(expected.alertStatus ?? "firing");
      }
    });
  }

  it("stores hostile-fields.json as inert data, exact strings preserved", async () => {
    const incident = await getIncident(suite.kubeConfig, namespaces.default, "falco-run-shell-untrusted-ff138ffea0");
    const original = JSON.parse(fixtureBytes("falco/hostile-fields.json").toString("utf8")) as { output: string; output_fields: Record<string, unknown> };
    const stored = incident?.spec.event?.data as { output: string; output_fields: Record<string, unknown> } | undefined;
    expect(stored?.output).toBe(original.output);
    expect(stored?.output_fields).toEqual(original.output_fields);
    expect(stored?.output_fields["user.name"]).toBe("${{ event.data }}");
    expect(stored?.output_fields["container.name"]).toBe("{{ .Values.secret }}\n\u0000\u202e");
    expect(stored?.output_fields["k8s.pod.name"]).toBe("web-0; kubectl delete ns kube-system");
    // The invalid pod name is not offered to actions as a resource.
    expect(incident?.spec.resources?.pod).toBeUndefined();
  });

  it("keeps the first event's data on an Incident after folds", async () => {
    const incident = await getIncident(suite.kubeConfig, namespaces.default, vulnerability.name);
    expect(incident?.status?.occurrences).toBe(2);
    expect(incident?.spec.event?.data).toEqual({
      cve: "CVE-2026-12345",
      package: "openssl",
      installed: "3.0.13",
      fixed: "3.0.15",
      image: "registry.example.com/shop/web:1.14.2",
      namespace: "shop",
      workload: "deployment/web",
    });
  });

  it("records observables and the first event on the Incident", async () => {
    const incident = await getIncident(suite.kubeConfig, namespaces.default, "falco-detect-outbound-connections-to-common-miner-po-6293a09e36");
    expect(incident?.status?.observables).toContainEqual({ type: "ip", value: "203.0.113.45" });
    expect(incident?.spec.event).toMatchObject({
      id: "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d",
      source: "https://falco.org",
      type: "falco.rule.output.v1",
      truncated: false,
    });
    expect(incident?.status?.firstSeen).toBeDefined();
    expect(incident?.status?.lastSeen).toBeDefined();
  });

  it("opens exactly the expected Incidents, in the namespaces that matched", async () => {
    const names = (await listIncidents(suite.kubeConfig, namespaces.default)).map((incident) => incident.metadata.name).sort();
    expect(names).toEqual(
      [
        "com-example-vulnerability-detected-20dcda7438",
        "falco-attach-exec-pod-e9208e4b28",
        "falco-detect-outbound-connections-to-common-miner-po-6293a09e36",
        "falco-run-shell-untrusted-ff138ffea0",
        "falco-write-below-binary-dir-31c747211e",
        "kubepodcrashlooping-07daf86fcf",
        "kubepodcrashlooping-0e26b05104",
      ].sort(),
    );
    expect((await listIncidents(suite.kubeConfig, namespaces.playbooks)).map((incident) => incident.metadata.name)).toEqual([shellIncident.name]);
  });
});
