import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../../api/v1alpha1/types.generated.ts";
import type { PayloadText } from "../connector-contract.ts";
import { Redactor } from "../redactor.ts";
import type { SecretResolver } from "../secret-resolver.ts";
import { webhookConnector } from "../webhook/webhook-connector.ts";
import { httpConnector } from "./http-connector.ts";

const noSecrets: SecretResolver = {
  secret: (name) => Promise.resolve({ ok: false, problem: "SecretNotFound", message: `Secret ${name} does not exist` }),
  key: (ref) => Promise.resolve({ ok: false, problem: "SecretNotFound", message: `Secret ${ref.name} does not exist` }),
};
const incident = { namespace: "soar", name: "inc-1", title: "Shell in web-0", severity: "high" };

async function prepare(payload: PayloadText, spec: ConnectorSpec = { type: "http", url: "https://x.example" }): Promise<unknown> {
  const prepared = await httpConnector.prepareBody({ spec, payload, incident, secrets: noSecrets, redactor: new Redactor() });
  return prepared.ok ? prepared.body : prepared;
}

describe("http connector", () => {
  it.each<[string, PayloadText, unknown]>([
    ["a rendered body as it is", { kind: "body", body: '{"a":1}', params: {} }, '{"a":1}'],
    ["no body", { kind: "body", params: {} }, undefined],
    ["a notify message in an envelope", { kind: "message", message: "isolated" }, JSON.stringify({ message: "isolated", incident })],
  ])("sends %s", async (_, payload, expected) => {
    expect(await prepare(payload)).toEqual(expected);
  });

  it.each<[string, PayloadText, ConnectorSpec, string]>([
    ["a body that is not JSON", { kind: "body", body: "{oops", params: {} }, { type: "http", url: "https://x.example" }, "connector.body: the rendered body is not valid JSON"],
    ["a body with GET", { kind: "body", body: "{}", params: {} }, { type: "http", url: "https://x.example", method: "GET" }, "connector.body: a http Connector with method GET sends no body"],
    ["params", { kind: "body", params: { x: "1" } }, { type: "http", url: "https://x.example" }, "connector.params.x: unknown parameter for a http Connector (it takes none)"],
  ])("refuses %s", async (_, payload, spec, message) => {
    expect(await prepare(payload, spec)).toMatchObject({ ok: false, reason: "InvalidRequest", message });
  });

  it("requires webhooks to be signed", () => {
    expect(webhookConnector.checkSpec({ type: "webhook", url: "https://x.example", auth: { type: "bearer", secretRef: { name: "a", key: "b" } } })).toContain("spec.auth.type");
  });
});
