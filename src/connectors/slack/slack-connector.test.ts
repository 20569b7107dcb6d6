import { describe, expect, it } from "vitest";
import type { PayloadText } from "../connector-contract.ts";
import { Redactor } from "../redactor.ts";
import type { SecretResolver } from "../secret-resolver.ts";
import { slackConnector } from "./slack-connector.ts";

const noSecrets: SecretResolver = {
  secret: (name) => Promise.resolve({ ok: false, problem: "SecretNotFound", message: `Secret ${name} does not exist` }),
  key: (ref) => Promise.resolve({ ok: false, problem: "SecretNotFound", message: `Secret ${ref.name} does not exist` }),
};

async function body(payload: PayloadText): Promise<unknown> {
  const prepared = await slackConnector.prepareBody({
    spec: { type: "slack", url: "https://hooks.example/x" },
    payload,
    incident: { namespace: "soar", name: "i" },
    secrets: noSecrets,
    redactor: new Redactor(),
  });
  return prepared.ok ? (JSON.parse(prepared.body ?? "null") as unknown) : prepared;
}

describe("slack connector", () => {
  it.each<[string, PayloadText, unknown]>([
    ["a notify message as text, quotes and all", { kind: "message", message: 'shell in "web-0" `id`' }, { text: 'shell in "web-0" `id`' }],
    ["a body object as it is", { kind: "body", body: '{"blocks":[{"type":"section"}]}', params: {} }, { blocks: [{ type: "section" }] }],
  ])("sends %s", async (_, payload, expected) => {
    expect(await body(payload)).toEqual(expected);
  });

  it.each<[string, PayloadText, string]>([
    ["no body", { kind: "body", params: {} }, "connector.body: a slack Connector needs a body"],
    ["a body that is not an object", { kind: "body", body: '"text"', params: {} }, "connector.body: a slack message must be a JSON object"],
    ["params", { kind: "body", body: "{}", params: { channel: "#sec" } }, "connector.params.channel: unknown parameter for a slack Connector (it takes none)"],
  ])("refuses %s", async (_, payload, message) => {
    expect(await body(payload)).toMatchObject({ ok: false, reason: "InvalidRequest", message: expect.stringContaining(message) as unknown });
  });
});
