import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/api/v1alpha1/types.generated.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { cli } from "./cli-helpers.ts";
import { FIXTURES, listIncidents, testOptions, useIntakeSuite } from "./intake-helpers.ts";

// kubectl soar send against the real intake: its own nats-server and receiver, the shared API
// server. No Playbook matches, so every alert opens an Incident in the test namespace.
const TOKEN_FILE = fileURLToPath(new URL("../fixtures/receiver-tokens", import.meta.url));
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
let namespace = "";

const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
  namespace = await createTestNamespace(kubeConfig, "cli-send");
  return testOptions({ natsUrl, defaultNamespace: namespace });
});

async function incidentWhere(description: string, check: (incident: Incident) => boolean): Promise<Incident> {
  return await waitFor(async () => (await listIncidents(suite.kubeConfig, namespace)).find(check), { ...WAIT, description });
}

const fixture = (path: string): string => fileURLToPath(new URL(path, FIXTURES));

describe("kubectl soar send", () => {
  it("publishes the built-in Falco sample on its Falcosidekick subject, then sends it over HTTP, one Incident", async () => {
    const overNats = await cli(["send", "--nats", suite.nats.url, "-n", namespace, "--pod", "miner-0"]);
    expect(overNats.stderr).toBe("");
    expect(overNats.stdout).toMatch(/^sent Falco alert [0-9a-f-]{36} on falco\.critical\.detect_outbound_connections_to_common_miner_pool_ports: stored in stream SOAR_EVENTS as message \d+\n$/);
    const opened = await incidentWhere("the sample's Incident", (incident) => incident.spec.resources?.pod === "miner-0");
    expect(opened.spec).toMatchObject({ severity: "critical", source: { kind: "falco" }, resources: { namespace, pod: "miner-0" } });
    // Intake opens it with the labels people filter by.
    expect(opened.metadata.labels).toEqual({ "soar.kube-soar.io/severity": "critical", "soar.kube-soar.io/state": "Open" });

    const overHttp = await cli(["send", "--http", suite.intake.receiverUrl, "--token-file", TOKEN_FILE, "-n", namespace, "--pod", "miner-0"]);
    expect(overHttp.stdout).toMatch(new RegExp(`^sent Falco alert [0-9a-f-]{36} to ${suite.intake.receiverUrl}/falco: 202 Accepted\\n$`));
    await incidentWhere("a second occurrence of it", (incident) => incident.spec.resources?.pod === "miner-0" && incident.status?.occurrences === 2);
  });

  it("sends a CloudEvent file on its subject and an Alertmanager file to /alertmanager", async () => {
    const cloudEvent = await cli(["send", "--nats", suite.nats.url, "--file", fixture("cloudevents/structured.json")]);
    expect(cloudEvent.stdout).toMatch(/^sent CloudEvent b3f6c0a2-77d1-4c5e-9a0b-2f1e3d4c5b6a on soar\.events\.com_example_vulnerability_detected: stored in stream SOAR_EVENTS/);
    await incidentWhere("the CloudEvent's Incident", (incident) => incident.spec.event?.type === "com.example.vulnerability.detected");

    const webhook = await cli(["send", "--http", suite.intake.receiverUrl, "--token-file", TOKEN_FILE, "--file", fixture("alertmanager/crashloop-firing.json")]);
    expect(webhook.stdout).toBe(`sent Alertmanager webhook to ${suite.intake.receiverUrl}/alertmanager: 202 Accepted\n`);
    await incidentWhere("the Alertmanager alert's Incident", (incident) => incident.spec.source.kind === "alertmanager");
  });

  it("says why an alert was not sent", async () => {
    const unauthenticated = await cli(["send", "--http", suite.intake.receiverUrl, "-n", namespace]);
    expect(unauthenticated.code).toBe(1);
    expect(unauthenticated.stderr).toMatch(new RegExp(`^error: POST ${suite.intake.receiverUrl}/falco: the receiver answered 401 Unauthorized: `));

    const httpOnly = await cli(["send", "--nats", suite.nats.url, "--file", fixture("alertmanager/crashloop-firing.json")]);
    expect(httpOnly).toMatchObject({ code: 1, stderr: "error: an Alertmanager webhook comes to kube-soar over HTTP only (/alertmanager): use --http\n" });

    const noStream = await cli(["send", "--nats", suite.nats.url, "--subject", "nobody.listens"]);
    expect(noStream.code).toBe(1);
    expect(noStream.stderr).toContain("error: publish on nobody.listens: ");

    const usage = await cli(["send", "--http", suite.intake.receiverUrl, "--nats", suite.nats.url]);
    expect(usage).toMatchObject({ code: 2, stderr: "error: send: pass --http URL or --nats URL (one of them)\nSee 'kubectl soar send --help'.\n" });
  });
});
