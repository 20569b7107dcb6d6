import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../../api/v1alpha1/types.generated.ts";
import type { PayloadText } from "../connector-contract.ts";
import { Redactor } from "../redactor.ts";
import type { SecretResolver } from "../secret-resolver.ts";
import { SecretValue } from "../secret-value.ts";
import { pagerDutyConnector, pagerDutySeverity } from "./pagerduty-connector.ts";

const routingKey = "R0UTINGKEY0123456789";
const secrets: SecretResolver = {
  secret: () => Promise.resolve({ ok: true, type: "Opaque", data: new Map([["key", new SecretValue(Buffer.from(`${routingKey}\n`))]]) }),
  key: (ref) =>
    Promise.resolve(
      ref.name === "pd" && ref.key === "key"
        ? { ok: true, value: new SecretValue(Buffer.from(`${routingKey}\n`)) }
        : { ok: false, problem: "SecretNotFound", message: `Secret soar/${ref.name} does not exist` },
    ),
};
const spec: ConnectorSpec = { type: "pagerduty", pagerduty: { routingKeySecretRef: { name: "pd", key: "key" } } };
const incident = { namespace: "soar", name: "miner-7f3a", title: "Crypto miner in shop/web-0", severity: "high" };

async function body(payload: PayloadText, connectorSpec: ConnectorSpec = spec): Promise<unknown> {
  const redactor = new Redactor();
  const prepared = await pagerDutyConnector.prepareBody({ spec: connectorSpec, payload, incident, secrets, redactor });
  if (!prepared.ok) return prepared;
  expect(redactor.scrub(routingKey)).toBe("[redacted]");
  return { url: prepared.defaultUrl, event: JSON.parse(prepared.body ?? "null") as unknown };
}

describe("pagerduty connector", () => {
  it("triggers with the Incident as dedup key, the message as summary and a mapped severity", async () => {
    expect(await body({ kind: "message", message: "Pod isolated" })).toEqual({
      url: "https://events.pagerduty.com/v2/enqueue",
      event: {
        routing_key: routingKey,
        event_action: "trigger",
        dedup_key: "soar/miner-7f3a",
        payload: { summary: "Pod isolated", source: "kube-soar/soar", severity: "error" },
      },
    });
  });

  it("resolves the same dedup key", async () => {
    expect(await body({ kind: "body", params: { action: "resolve" } })).toEqual({
      url: "https://events.pagerduty.com/v2/enqueue",
      event: { routing_key: routingKey, event_action: "resolve", dedup_key: "soar/miner-7f3a" },
    });
  });

  it("takes summary, source, severity from params and the body as custom details", async () => {
    expect(await body({ kind: "body", body: '{"pod":"web-0"}', params: { summary: "S", source: "falco", severity: "critical" } })).toMatchObject({
      event: { payload: { summary: "S", source: "falco", severity: "critical", custom_details: { pod: "web-0" } } },
    });
  });

  it.each<[string, PayloadText, ConnectorSpec, string]>([
    ["an unknown action", { kind: "body", params: { action: "snooze" } }, spec, "connector.params.action: must be trigger or resolve"],
    ["an unknown severity", { kind: "body", params: { severity: "high" } }, spec, "connector.params.severity: must be one of critical, error, warning, info"],
    ["an unknown param", { kind: "body", params: { urgency: "x" } }, spec, "connector.params.urgency: unknown parameter for a pagerduty Connector (accepted: action, summary, source, severity)"],
    ["a missing routing key Secret", { kind: "message", message: "m" }, { type: "pagerduty", pagerduty: { routingKeySecretRef: { name: "gone", key: "key" } } }, "spec.pagerduty.routingKeySecretRef: Secret soar/gone does not exist"],
    ["a body that is not JSON", { kind: "body", body: "{", params: {} }, spec, "connector.body: the rendered body is not valid JSON"],
  ])("refuses %s", async (_, payload, connectorSpec, message) => {
    expect(await body(payload, connectorSpec)).toMatchObject({ ok: false, message });
  });

  it.each([
    ["critical", "critical"],
    ["high", "error"],
    ["medium", "warning"],
    ["low", "info"],
    [undefined, "info"],
  ])("maps severity %s to %s", (severity, expected) => {
    expect(pagerDutySeverity(severity)).toBe(expected);
  });

  it("reads the Events API answer into outputs", () => {
    expect(pagerDutyConnector.outputs({ status: 202, headers: {}, truncated: false, body: '{"status":"success","message":"Event processed","dedup_key":"soar/miner-7f3a"}' })).toEqual({
      status: "202",
      result: "success",
      message: "Event processed",
      dedupKey: "soar/miner-7f3a",
    });
  });
});
