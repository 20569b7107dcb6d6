import { once } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../../src/api/v1alpha1/types.generated.ts";
import { createConnectorCaller, type ConnectorCaller } from "../../src/connectors/call-connector.ts";
import type { ConnectorCallResult, ConnectorPayload } from "../../src/connectors/connector-contract.ts";
import { connectorIdempotencyKey } from "../../src/connectors/idempotency-key.ts";
import { createSecretResolver } from "../../src/connectors/secret-resolver.ts";
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

type Handler = (request: Recorded, response: ServerResponse, index: number) => void;

/** A local HTTP server that records every request and answers with the handler of its turn. */
class LocalServer {
  readonly requests: Recorded[] = [];
  connections = 0;
  readonly #server: http.Server;
  #handlers: Handler[] = [];

  constructor() {
    this.#server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const recorded = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
        const index = this.requests.push(recorded) - 1;
        const handler = this.#handlers[Math.min(index, this.#handlers.length - 1)];
        if (handler === undefined) response.writeHead(500).end();
        else handler(recorded, response, index);
      });
    });
    this.#server.on("connection", () => {
      this.connections++;
    });
  }

  async start(): Promise<string> {
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Answers the n-th request with the n-th handler; the last one answers the rest. */
  reply(...handlers: Handler[]): void {
    this.#handlers = handlers;
    this.requests.length = 0;
    this.connections = 0;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, "close");
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_request, response) => {
  response.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
};
const hang: Handler = () => undefined;

/** A clock at a fixed instant whose timers fire at once and record the delays asked for. */
function instantClock(now: Date): RuntimeClock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => now,
    setTimer(delayMs, callback) {
      delays.push(delayMs);
      const handle = setImmediate(callback);
      return { cancel: () => { clearImmediate(handle); } };
    },
  };
}

const fixedNow = new Date("2026-11-23T12:00:00Z");
const silent = createLogger({ level: "silent", destination: new Writable({ write: (_chunk, _encoding, done) => { done(); } }) });
const server = new LocalServer();
let baseUrl: string;
let kubeConfig: KubeConfig;
let namespace: string;
let clock: ReturnType<typeof instantClock>;
let caller: ConnectorCaller;

async function call(spec: Omit<ConnectorSpec, "type" | "url">, options: { payload?: ConnectorPayload; signal?: AbortSignal; dryRun?: boolean; path?: string } = {}): Promise<ConnectorCallResult> {
  return caller.call({
    connector: { namespace, name: "hook", spec: { type: "http", url: `${baseUrl}${options.path ?? "/hook"}`, allowInsecureHTTP: true, ...spec } },
    secrets: createSecretResolver(kubeConfig.makeApiClient(CoreV1Api), namespace),
    payload: options.payload ?? bodyPayload('{"event":"isolated"}'),
    incident: { namespace, name: "inc-1" },
    idempotencyKey: connectorIdempotencyKey({ incidentUid: "5f0c-uid", playbook: "miner", step: "notify", attempt: 1 }),
    signal: options.signal ?? new AbortController().signal,
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
  });
}

beforeAll(async () => {
  baseUrl = await server.start();
  kubeConfig = loadKubeConfig();
  namespace = await createTestNamespace(kubeConfig, "conn-http");
});

afterEach(() => {
  caller.close();
});

afterAll(async () => {
  await server.stop();
  await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

function freshCaller(options: { maxResponseBytes?: number } = {}): void {
  clock = instantClock(fixedNow);
  caller = createConnectorCaller({ clock, logger: silent, destinations: loopbackDestinations(namespace), ...options });
}

describe("http connector calls", () => {
  it("sends the body with its headers and reads the JSON answer into outputs", async () => {
    freshCaller();
    server.reply(json(201, { id: "T-42", queued: true, "not-usable": 1 }));
    expect(await call({ method: "PUT", headers: { "X-Team": "sec" } })).toEqual({ ok: true, status: 201, attempts: 1, outputs: { status: "201", id: "T-42", queued: "true" } });
    const [request] = server.requests;
    expect(request?.method).toBe("PUT");
    expect(request?.body).toBe('{"event":"isolated"}');
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "kube-soar",
      "x-team": "sec",
      "idempotency-key": "5f0c-uid/miner/notify/1",
    });
  });

  it("retries a 503, honours Retry-After in seconds, and keeps the Idempotency-Key", async () => {
    freshCaller();
    server.reply(json(503, { error: "busy" }, { "Retry-After": "7" }), json(200, { ok: true }));
    expect(await call({ retries: { limit: 3, backoff: "1s" } })).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(clock.delays).toEqual([7000]);
    expect(server.requests.map((request) => request.headers["idempotency-key"])).toEqual(["5f0c-uid/miner/notify/1", "5f0c-uid/miner/notify/1"]);
  });

  it("honours Retry-After as an HTTP-date", async () => {
    freshCaller();
    server.reply(json(429, {}, { "Retry-After": new Date(fixedNow.getTime() + 30_000).toUTCString() }), json(200, {}));
    expect(await call({ retries: { limit: 1 } })).toMatchObject({ ok: true, attempts: 2 });
    expect(clock.delays).toEqual([30_000]);
  });

  it("backs off exponentially without Retry-After, and gives up after the limit with a retryable failure", async () => {
    freshCaller();
    server.reply(json(500, { error: "boom" }));
    expect(await call({ retries: { limit: 3, backoff: "100ms" } })).toEqual({
      ok: false,
      reason: "UnexpectedStatus",
      message: `connector ${namespace}/hook: HTTP 500 (accepted: 2xx): "{\\"error\\":\\"boom\\"}"`,
      retryable: true,
      attempts: 4,
      status: 500,
    });
    expect(clock.delays).toEqual([100, 200, 400]);
    expect(server.requests).toHaveLength(4);
  });

  it("does not retry a client error", async () => {
    freshCaller();
    server.reply(json(400, { error: "bad" }));
    expect(await call({ retries: { limit: 3 } })).toMatchObject({ ok: false, reason: "UnexpectedStatus", retryable: false, attempts: 1, status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it("accepts only the configured success codes", async () => {
    freshCaller();
    server.reply(json(200, {}));
    expect(await call({ successCodes: [202] })).toMatchObject({ ok: false, reason: "UnexpectedStatus", retryable: false, status: 200, message: expect.stringContaining("(accepted: 202)") as unknown });
  });

  it("stops when Retry-After asks for longer than a call waits, and reports the wait", async () => {
    freshCaller();
    server.reply(json(429, {}, { "Retry-After": "120" }));
    expect(await call({ retries: { limit: 3 } })).toEqual({
      ok: false,
      reason: "RetryAfterTooLong",
      message: `connector ${namespace}/hook: asked to retry after 120000ms, longer than 60000ms`,
      retryable: true,
      attempts: 1,
      status: 429,
      retryAfterMs: 120_000,
    });
  });

  it("times out an attempt that gets no answer, and retries it", async () => {
    freshCaller();
    server.reply(hang, json(200, { late: "no" }));
    expect(await call({ timeout: "300ms", retries: { limit: 1, backoff: "10ms" } })).toMatchObject({ ok: true, attempts: 2, outputs: { late: "no" } });
    server.reply(hang);
    expect(await call({ timeout: "300ms" })).toEqual({ ok: false, reason: "Timeout", message: `connector ${namespace}/hook: no answer within 300ms`, retryable: true, attempts: 1 });
  });

  it("reuses one keep-alive connection across calls", async () => {
    freshCaller();
    server.reply(json(200, {}));
    for (let i = 0; i < 3; i++) expect(await call({})).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(server.connections).toBe(1);
  });

  it("bounds what it reads of a huge answer", async () => {
    freshCaller({ maxResponseBytes: 4096 });
    server.reply(json(200, { blob: "x".repeat(100_000) }));
    const result = await call({});
    expect(result.ok && Object.keys(result.outputs)).toEqual(["status", "body"]);
    expect(result.ok && result.outputs["body"]?.length).toBe(2048);
  });

  it("reports a refused connection as a retryable network error after its retries", async () => {
    freshCaller();
    const closed = new LocalServer();
    const url = await closed.start();
    await closed.stop();
    const result = await caller.call({
      connector: { namespace, name: "gone", spec: { type: "http", url, allowInsecureHTTP: true, retries: { limit: 1, backoff: "10ms" } } },
      secrets: createSecretResolver(kubeConfig.makeApiClient(CoreV1Api), namespace),
      payload: messagePayload("hi"),
      incident: { namespace, name: "inc-1" },
      idempotencyKey: "k",
      signal: new AbortController().signal,
    });
    expect(result).toEqual({ ok: false, reason: "NetworkError", message: `connector ${namespace}/gone: connection failed (ECONNREFUSED)`, retryable: true, attempts: 2 });
  });

  it("stops waiting when the caller aborts", async () => {
    freshCaller();
    server.reply(hang);
    const controller = new AbortController();
    const pending = call({ timeout: "30s" }, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, reason: "Aborted", retryable: false });
  });

  it("sends nothing in dry-run", async () => {
    freshCaller();
    server.reply(json(200, {}));
    expect(await call({}, { dryRun: true })).toEqual({ ok: true, status: 0, attempts: 0, outputs: { dryRun: "true", method: "POST", bodyBytes: "20" } });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a plain http URL unless allowed, before sending anything", async () => {
    freshCaller();
    server.reply(json(200, {}));
    expect(await call({ allowInsecureHTTP: false })).toMatchObject({ ok: false, reason: "InvalidSpec", message: expect.stringContaining("spec.url: must use https unless allowInsecureHTTP is true") as unknown });
    expect(server.requests).toHaveLength(0);
  });
});
